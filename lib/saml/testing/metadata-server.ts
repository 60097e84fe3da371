import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one path answers: a document (XML by default), a status, or nothing at all (a hung IdP). */
export type MetadataAnswer = { status?: number; body?: string; contentType?: string } | 'hang';

/**
 * A real HTTP server on 127.0.0.1 serving IdP metadata for tests: each path answers what the test
 * set last (`serve`), anything else 404. `close` ends hung answers too.
 */
export async function startMetadataServer() {
  const answers = new Map<string, MetadataAnswer>();
  const hung = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const answer = answers.get(req.url ?? '/');
    if (answer === 'hang') return void hung.add(res);
    if (!answer) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/samlmetadata+xml' }).end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (path: string) => `${base}${path}`,
    serve: (path: string, answer: MetadataAnswer) => void answers.set(path, answer),
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
export type MetadataServer = Awaited<ReturnType<typeof startMetadataServer>>;
