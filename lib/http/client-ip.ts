import { getEnv } from '@/lib/env';
import { isTrusted, normalizeIp, trustedProxies, type TrustedProxies } from './trusted-proxies';

/**
 * The client address for session and audit rows, which a client must not be able to choose.
 *
 * - The socket peer is known when Next runs under the launcher's preload (peer-address-hook.mjs
 *   sets `x-roster-peer-address` from the socket); otherwise it is unknown.
 * - No ROSTER_TRUSTED_PROXIES (the default): X-Forwarded-For is ignored; the peer, or null.
 * - With trusted proxies: when the peer is known and not one of them, it is the client (a direct
 *   request's X-Forwarded-For is its own claim). Otherwise X-Forwarded-For is walked from the right,
 *   past trusted hops, to the first address that is not trusted; an entry that is not an address
 *   ends the walk with null. With the peer unknown, every request is taken to come through a proxy.
 */
export const PEER_ADDRESS_HEADER = 'x-roster-peer-address';
const hookKey = Symbol.for('roster.peerAddressHeader');

export function peerAddressKnown(): boolean {
  return (globalThis as Record<symbol, unknown>)[hookKey] === PEER_ADDRESS_HEADER;
}

export function resolveClientIp(input: { forwardedFor: string | null; peer: string | null; trusted: TrustedProxies }): string | null {
  const peer = normalizeIp(input.peer);
  if (input.trusted.entries.length === 0) return peer;
  if (peer && !isTrusted(input.trusted, peer)) return peer;
  const hops = (input.forwardedFor ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]);
    if (!hop) return null;
    if (!isTrusted(input.trusted, hop)) return hop;
  }
  return normalizeIp(hops[0]) ?? peer; // every hop trusted: the first one asked
}

let cached: { entries: string[]; proxies: TrustedProxies } | undefined;
function configuredProxies(): TrustedProxies {
  const entries = getEnv().ROSTER_TRUSTED_PROXIES;
  if (cached?.entries !== entries) cached = { entries, proxies: trustedProxies(entries) };
  return cached.proxies;
}

/** clientIp for a request whose socket peer is known (lib/http/app-server.ts owns the socket). */
export function clientIpOfPeer(forwardedFor: string | string[] | undefined, peer: string | undefined): string | null {
  return resolveClientIp({ forwardedFor: Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? null), peer: peer ?? null, trusted: configuredProxies() });
}

/** clientIp for a request's headers, under this process's configuration. */
export function clientIp(headers: Headers): string | null {
  return resolveClientIp({
    forwardedFor: headers.get('x-forwarded-for'),
    peer: peerAddressKnown() ? headers.get(PEER_ADDRESS_HEADER) : null,
    trusted: configuredProxies(),
  });
}
