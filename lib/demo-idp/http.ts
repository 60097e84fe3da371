import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const MAX_BODY_BYTES = 16 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) throw new HttpError(415, 'Expected a form post');
  return new URLSearchParams(await readBody(req));
}

/** JSON only: a cross-site HTML form cannot send application/json, so this also keeps the admin API off CSRF. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!req.headers['content-type']?.startsWith('application/json')) throw new HttpError(415, 'Expected application/json');
  try {
    return JSON.parse(await readBody(req));
  } catch {
    throw new HttpError(400, 'Malformed JSON');
  }
}

export function send(res: ServerResponse, status: number, type: 'html' | 'json' | 'text', body: string): void {
  const contentType = { html: 'text/html; charset=utf-8', json: 'application/json', text: 'text/plain; charset=utf-8' }[type];
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'json', JSON.stringify(body));
}

/** The last resort of a demo server's request handler: a short text, the stack on stderr for real bugs. */
export function failRequest(res: ServerResponse, error: unknown, tag: string): void {
  if (!(error instanceof HttpError)) process.stderr.write(`[${tag}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  if (res.headersSent) return void res.end();
  if (error instanceof HttpError) return send(res, error.status, 'text', error.message);
  send(res, 500, 'text', 'Internal error');
}

/** Listens and resolves with the port actually bound (port 0 picks a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections from browsers and fetch would otherwise hold close() open.
    server.closeAllConnections();
  });
}
