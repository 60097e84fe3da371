import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { Database } from '@/db';
import type { Actor } from '@/lib/audit/record-event';
import type { ScimPrincipal } from './authenticate';
import type { JsonObject } from './normalize';
import { checkJsonBody } from './limits';
import { ScimError } from './scim-error';

/** The plain request the dispatcher serves: the Next route and the tests' node:http server both build it. */
export type ScimRequest = {
  method: string;
  /** The path below the SCIM base URL, e.g. `/Users/2819c223…` (a leading `/api/scim/v2` is tolerated). */
  path: string;
  query?: URLSearchParams | Record<string, string | string[] | undefined>;
  headers?: Headers | Record<string, string | string[] | undefined>;
  /** The raw body text (the route has already enforced the size limit). */
  body?: string | null;
  /** The public SCIM base URL, e.g. `https://roster.example.com/api/scim/v2` (meta.location, Location). */
  baseUrl: string;
  ip?: string | null;
};

export type ScimResponse = { status: number; headers: Record<string, string>; body: JsonObject | null };

export type ScimContext = {
  db: Database;
  principal: ScimPrincipal;
  actor: Actor;
  baseUrl: string;
  header: (name: string) => string | null;
  param: (name: string) => string | null;
  /** The parsed JSON body (400 invalidSyntax if it is not JSON). */
  json: () => unknown;
  /**
   * Set when the principal was remembered, not looked up for this request (a User write or list):
   * anything but a guarded write or lookup must authenticate in full first (authenticate.ts); a
   * read that plans nothing by the birthright policy may leave the policy out (`withPolicy: false`).
   */
  verify: ((options?: { withPolicy?: boolean }) => Promise<ScimPrincipal>) | null;
};

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

function reader(source: URLSearchParams | Headers | Record<string, string | string[] | undefined> | undefined, caseInsensitive: boolean) {
  return (name: string): string | null => {
    if (!source) return null;
    if (source instanceof URLSearchParams || source instanceof Headers) return source.get(name);
    const key = caseInsensitive ? Object.keys(source).find((k) => k.toLowerCase() === name.toLowerCase()) : name;
    const value = key === undefined ? undefined : source[key];
    return (Array.isArray(value) ? value[0] : value) ?? null;
  };
}

export function readHeader(request: ScimRequest, name: string): string | null {
  return reader(request.headers, true)(name);
}

export function buildContext(db: Database, request: ScimRequest, principal: ScimPrincipal, verify: ScimContext['verify'] = null): ScimContext {
  const header = reader(request.headers, true);
  let parsed: { value: unknown } | undefined;
  return {
    db,
    principal,
    actor: { type: 'scim', id: principal.tokenId, requestId: header('x-request-id')?.slice(0, 128) ?? randomUUID(), ip: request.ip && isIP(request.ip) ? request.ip : null },
    baseUrl: request.baseUrl.replace(/\/+$/, ''),
    header,
    param: reader(request.query, false),
    verify,
    json: () => {
      if (parsed) return parsed.value;
      const text = request.body ?? '';
      if (!text.trim()) throw new ScimError(400, 'invalidSyntax', 'A JSON request body is required');
      let value: unknown;
      try {
        value = JSON.parse(text) as unknown;
      } catch {
        throw new ScimError(400, 'invalidSyntax', 'The request body is not valid JSON');
      }
      checkJsonBody(value); // nesting, U+0000, lone surrogates, string sizes (limits.ts)
      parsed = { value };
      return value;
    },
  };
}

export function respond(status: number, body: JsonObject | null, headers: Record<string, string> = {}): ScimResponse {
  return { status, headers: body ? { 'Content-Type': SCIM_CONTENT_TYPE, ...headers } : headers, body };
}
