import http from 'node:http';

/**
 * The Node HTTP floor: a bare node:http server in a process of its own, answering every request
 * 200 with a small fixed SCIM ListResponse (no routing, no database), so the same load generator
 * against it shows what HTTP on this box costs before any framework. Sends its port over IPC.
 */
const BODY = JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

const server = http.createServer((req, res) => {
  req.resume();
  req.once('end', () => {
    res.writeHead(200, { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(BODY) });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
