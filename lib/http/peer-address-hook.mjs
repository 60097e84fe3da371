// Preloaded into `next start` / `next dev` by the launcher (lib/cli/next-server.ts:
// NODE_OPTIONS=--import this file), before Next.js creates its HTTP server. Route handlers see
// headers, never the socket; and Next sets X-Forwarded-For from the socket only when the client
// sent none (next/dist/server/base-server.js: `x-forwarded-for ??= socket.remoteAddress`), so that
// header cannot tell a client's claim from the real peer. This records the peer itself, in a
// header of its own that overwrites anything a client sent by that name (lib/http/client-ip.ts).
import http from 'node:http';

const HEADER = 'x-roster-peer-address';
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitWithPeer(event, ...args) {
  if (event === 'request' && args[0]?.headers) args[0].headers[HEADER] = args[0].socket?.remoteAddress ?? '';
  return emit.call(this, event, ...args);
};
// Only then is the header believed: without this hook, a client could send it.
globalThis[Symbol.for('roster.peerAddressHeader')] = HEADER;
