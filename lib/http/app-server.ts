import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Database } from '@/db';
import { serveScim } from '@/lib/scim/node-handler';
import { flushScimRequestLog } from '@/lib/scim/request-log';
import { decodeUriOr } from './decode-uri';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

const SCIM_BASE = '/api/scim/v2';

/**
 * Roster's production HTTP server (server.ts at the project root builds it around Next.js): one
 * process, one port. `/api/scim/v2` and everything below it is served by lib/scim directly
 * (lib/scim/node-handler.ts): an IdP's push pays for no page framework, which cost about 2 ms of
 * CPU per request (npm run bench -- --case scim-http). Every other path goes to `fallback`, Next's
 * request handler, except one with a malformed percent-escape, answered here with a 400 page
 * (malformedPath). The routing decision is made on the parsed, dot-segment-normalised path, so
 * `/api/scim/v2/../../admin` is Next's; Next's own SCIM route still serves `next dev`.
 *
 * `origin`: the public origin (NEXTAUTH_URL) for SCIM locations; without it, the request's Host.
 */
export function createAppServer(options: { db: Database; origin?: string; fallback: RequestHandler }): http.Server {
  return http.createServer((req, res) => {
    const target = scimTarget(req);
    if (!target) {
      if (malformedPath(req)) answerMalformedPath(res);
      else options.fallback(req, res);
      return;
    }
    const origin = options.origin ?? `http://${req.headers.host ?? '127.0.0.1'}`;
    serveScim(options.db, req, res, { origin, ...target }).catch((error: unknown) => {
      // handleScimRequest answers every failure in SCIM's shape; this is a broken socket or a bug.
      console.error('[scim] request failed', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/scim+json; charset=utf-8', Connection: 'close' });
        res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'The request could not be served.' }));
      } else res.destroy();
    });
  });
}

/**
 * Stops `server` for a shutdown: no new connections, idle keep-alive ones closed, and once the
 * requests under way are answered (or `graceMs` has passed: a client may hold its connection), the
 * SCIM request log's waiting entries written (they wait up to a second in this process;
 * lib/scim/request-log.ts). The caller ends the database pool after this.
 */
export async function stopAppServer(server: http.Server, graceMs = 3_000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearTimeout(timer);
  await flushScimRequestLog();
}

/**
 * Whether the request's path holds a malformed percent-escape (`/admin/roles/%ZZ`, `%E0%A4%A`).
 * Next.js answered those with a bare "Internal Server Error" 500 on any page with a dynamic segment
 * (its DecodeError handler renders /_error, which an App Router build does not have).
 */
export function malformedPath(req: Pick<IncomingMessage, 'url'>): boolean {
  const url = req.url ?? '/';
  const path = url.split(/[?#]/, 1)[0]!;
  return path.includes('%') && decodeUriOr(path, null) === null;
}

function answerMalformedPath(res: ServerResponse) {
  const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>Bad request · Roster</title>
<style>body{font-family:ui-sans-serif,system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh}main{max-width:32rem;padding:2rem;line-height:1.5}h1{font-size:1.25rem;margin:0 0 .5rem}p{margin:.5rem 0;opacity:.8}a{color:inherit}</style></head>
<body><main><h1>Bad request</h1><p>This address has a malformed percent-escape: a % not followed by two hexadecimal digits that make valid UTF-8. Check the link you followed, or start again from the console.</p><p><a href="/admin">Go to the console</a></p></main></body></html>`;
  res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

/** The SCIM path and query of a request for /api/scim/v2 or below, else null (Next's). */
export function scimTarget(req: Pick<IncomingMessage, 'url'>): { pathname: string; search: URLSearchParams } | null {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://roster.invalid');
  } catch {
    return null;
  }
  const { pathname } = url;
  if (pathname !== SCIM_BASE && !pathname.startsWith(`${SCIM_BASE}/`)) return null;
  return { pathname, search: url.searchParams };
}
