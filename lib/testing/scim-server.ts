import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@/db';
import type { NewConnection } from '@/db/schema';
import { makeOrganization } from '@/lib/testing/fixtures';
import { createScimToken } from '@/lib/scim/create-token';
import type { JsonObject } from '@/lib/scim/normalize';
import { handleScimRequest } from '@/lib/scim/handle-request';
import { MAX_BODY_BYTES } from '@/lib/scim/scimmy';

/**
 * For integration tests: a plain node:http server on 127.0.0.1 (random port) that serves
 * handleScimRequest — the same function the Next route calls — so tests speak real HTTP.
 */
export type ScimTestServer = {
  baseUrl: string;
  call: (method: string, path: string, options?: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> }) => Promise<ScimTestResponse>;
  close: () => Promise<void>;
};
export type ScimTestResponse = { status: number; headers: Headers; body: JsonObject | null };

/**
 * The body, read until MAX_BODY_BYTES are past; then reading stops, as the Next route does
 * (lib/http/read-body.ts): `overLimit`, and the answer closes the connection (its rest is unread).
 */
function readCapped(req: http.IncomingMessage): Promise<{ text: string | null; overLimit: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size <= MAX_BODY_BYTES) return;
      req.off('data', onData).off('end', onEnd).pause();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), overLimit: true });
    };
    const onEnd = () => resolve({ text: size ? Buffer.concat(chunks).toString('utf8') : null, overLimit: false });
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

export async function startScimServer(db: Database): Promise<ScimTestServer> {
  let origin = '';
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      const ip = req.socket.remoteAddress ?? null;
      const body = await readCapped(req);
      const result = await handleScimRequest(db, {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: body.text,
        baseUrl: `${origin}/api/scim/v2`,
        ip,
      });
      res.writeHead(result.status, body.overLimit ? { ...result.headers, Connection: 'close' } : result.headers);
      res.end(result.body ? JSON.stringify(result.body) : undefined);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error instanceof Error ? error.stack : error));
    });
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
