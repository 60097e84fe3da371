import http from 'node:http';

/**
 * For the 413 tests: one keep-alive connection, as IdPs' HTTP clients keep one. An oversized POST,
 * then a GET through the same agent: when the server closes the connection with its 413 (as it
 * must, having stopped reading the body), the agent opens a new one for the GET; when it does not,
 * the GET is written onto a connection whose reader is gone, and hangs or fails.
 */
export type Answer = { status: number; connection: string | undefined; ms: number };

function send(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body: Buffer | null, timeoutMs: number): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body ? { ...headers, 'content-length': String(body.length) } : headers }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, ms: Date.now() - started }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // The server may answer and close before the whole body is written: that write error is expected.
    req.on('error', (error) => (req.writableEnded && (error as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(error)));
    if (body) {
      req.write(body, () => undefined);
    }
    req.end();
  });
}

export async function oversizedThenNext(baseUrl: string, options: { path: string; bytes: number; next: string; headers?: Record<string, string>; timeoutMs?: number }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { 'content-type': 'application/scim+json', ...options.headers };
  try {
    const first = await send(agent, new URL(`${baseUrl}${options.path}`), 'POST', headers, Buffer.alloc(options.bytes, 'x'), options.timeoutMs ?? 10_000);
    const second = await send(agent, new URL(`${baseUrl}${options.next}`), 'GET', options.headers ?? {}, null, options.timeoutMs ?? 10_000);
    return { first, second };
  } finally {
    agent.destroy();
  }
}
