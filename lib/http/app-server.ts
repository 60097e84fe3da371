import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Database } from '@/db';
import { serveScim } from '@/lib/scim/node-handler';
import { flushScimRequestLog } from '@/lib/scim/request-log';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

const SCIM_BASE = '/api/scim/v2';

/**
 * Roster's production HTTP server (server.ts at the project root builds it around Next.js): one
 * process, one port. `/api/scim/v2` and everything below it is served by lib/scim directly
 * (lib/scim/node-handler.ts): an IdP's push pays for no page framework, which cost about 2 ms of
 * CPU per request (npm run bench -- --case scim-http). Every other path goes to `fallback`, Next's
 * request handler. The routing decision is made on the parsed, dot-segment-normalised path, so
 * `/api/scim/v2/../../admin` is Next's; Next's own SCIM route still serves `next dev`.
 *
 * `origin`: the public origin (NEXTAUTH_URL) for SCIM locations; without it, the request's Host.
 */
export function createAppServer(options: { db: Database; origin?: string; fallback: RequestHandler }): http.Server {
  return http.createServer((req, res) => {
    const target = scimTarget(req);
    if (!target) {
      options.fallback(req, res);
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
