import { BlockList, isIP } from 'node:net';

/**
 * ROSTER_TRUSTED_PROXIES: the proxies in front of Roster whose X-Forwarded-For entries are believed,
 * as IP addresses or CIDR ranges (`10.0.0.0/8, 2001:db8::/32, 192.0.2.7`). None by default.
 */
export type TrustedProxies = { entries: string[]; list: BlockList };

/** An entry's address and prefix length, or null when it is neither an IP address nor a CIDR range. */
function parseEntry(entry: string): { address: string; family: 'ipv4' | 'ipv6'; prefix: number } | null {
  const [address = '', prefixText, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, family: version === 4 ? 'ipv4' : 'ipv6', prefix };
}

/** The comma-separated list, checked: the entries, or the first one that is not an address or range. */
export function parseTrustedProxies(text: string): { ok: true; entries: string[] } | { ok: false; bad: string } {
  const entries = text.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.find((e) => !parseEntry(e));
  return bad === undefined ? { ok: true, entries } : { ok: false, bad };
}

export function trustedProxies(entries: string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return { entries, list };
}

/** The address as audit rows keep it: an IPv4-mapped IPv6 address (`::ffff:192.0.2.7`, from a dual-stack socket) as IPv4. */
export function normalizeIp(value: string | null | undefined): string | null {
  const text = value?.trim() ?? '';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text)?.[1];
  const address = mapped ?? text;
  return isIP(address) ? address : null;
}

export function isTrusted(proxies: TrustedProxies, address: string): boolean {
  return proxies.list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}
