import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@/db';
import { clientIpOfPeer } from '@/lib/http/client-ip';
import { handleScimRequest } from './handle-request';
import { MAX_BODY_BYTES } from './scimmy';

/**
 * SCIM 2.0 on a node:http request, with no framework between the socket and lib/scim: the
 * production server (lib/http/app-server.ts) serves /api/scim/v2 with it, and so does the tests'
 * SCIM server. The same contract as the Next route (app/api/scim/v2/[...path]/route.ts, which
 * `next dev` still uses): the body is read until MAX_BODY_BYTES are past and no further (413, and
 * the answer closes the connection: a keep-alive client's next request must not follow the unread
 * bytes); the client address is the socket's peer, or X-Forwarded-For past trusted proxies.
 */
export async function serveScim(db: Database, req: IncomingMessage, res: ServerResponse, options: { origin: string; pathname: string; search: URLSearchParams }): Promise<void> {
  const body = await readCapped(req);
  const result = await handleScimRequest(db, {
    method: req.method ?? 'GET',
    path: options.pathname,
    query: options.search,
    headers: req.headers,
    // Past the limit the text is longer than MAX_BODY_BYTES, which handleScimRequest answers with 413.
    body: body.text,
    baseUrl: `${options.origin}/api/scim/v2`,
    ip: clientIpOfPeer(req.headers['x-forwarded-for'], req.socket.remoteAddress),
  });
  const payload = result.body ? JSON.stringify(result.body) : undefined;
  const headers: Record<string, string | number> = body.overLimit ? { ...result.headers, Connection: 'close' } : { ...result.headers };
  if (payload !== undefined) headers['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(result.status, headers);
  res.end(payload);
}

/** The body as text (null when empty), read until MAX_BODY_BYTES are past; then reading stops (`overLimit`). */
function readCapped(req: IncomingMessage): Promise<{ text: string | null; overLimit: boolean }> {
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
    const onEnd = () => resolve({ text: size ? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8') : null, overLimit: false });
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}
