import type { AddressInfo } from 'node:net';
import type { Database } from '@/db';
import type { NewConnection } from '@/db/schema';
import { makeOrganization } from '@/lib/testing/fixtures';
import { createScimToken } from '@/lib/scim/create-token';
import type { JsonObject } from '@/lib/scim/normalize';
import { createAppServer } from '@/lib/http/app-server';

/**
 * For integration tests: the production server's SCIM side (lib/http/app-server.ts, without Next)
 * on 127.0.0.1 and a random port, so tests speak real HTTP to the adapter `npm start` serves.
 */
export type ScimTestServer = {
  baseUrl: string;
  call: (method: string, path: string, options?: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> }) => Promise<ScimTestResponse>;
  close: () => Promise<void>;
};
export type ScimTestResponse = { status: number; headers: Headers; body: JsonObject | null };

export async function startScimServer(db: Database): Promise<ScimTestServer> {
  let origin = '';
  // The production server's own SCIM side (lib/http/app-server.ts), so these tests cover its adapter too.
  const server = createAppServer({
    db,
    get origin() {
      return origin;
    },
    fallback: (_req, res) => {
      res.writeHead(404);
      res.end();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseUrl = `${origin}/api/scim/v2`;
  return {
    baseUrl,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    call: async (method, path, options = {}) => {
      const headers: Record<string, string> = { Accept: 'application/scim+json', ...options.headers };
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (payload !== undefined) headers['Content-Type'] ??= 'application/scim+json';
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as JsonObject) : null };
    },
  };
}

/** A fresh organization (one OIDC connection allowing example.com) with a SCIM token, optionally tied to the connection. */
export async function makeScimTenant(db: Database, options: { connection?: Partial<NewConnection>; tokenForConnection?: boolean } = {}) {
  const { org, connection } = await makeOrganization(db, options.connection);
  const created = await createScimToken(
    db,
    { organizationId: org.id, connectionId: options.tokenForConnection ? connection.id : null, name: 'test IdP' },
    { type: 'cli' },
  );
  return { org, connection, token: created.token, tokenId: created.id };
}
