import { describe, expect, it } from 'vitest';
import { resolveClientIp } from './client-ip';
import { parseTrustedProxies, trustedProxies } from './trusted-proxies';

const proxies = (text: string) => {
  const parsed = parseTrustedProxies(text);
  if (!parsed.ok) throw new Error(parsed.bad);
  return trustedProxies(parsed.entries);
};
const none = proxies('');
const lb = proxies('10.0.0.0/8, 2001:db8::/32');

describe('resolveClientIp', () => {
  it.each<[string | null, string | null, string | null]>([
    ['203.0.113.7', '192.0.2.1', '192.0.2.1'],
    ['203.0.113.7', null, null],
    [null, '::ffff:192.0.2.1', '192.0.2.1'],
    [null, 'unknown', null],
  ])('with no trusted proxies ignores X-Forwarded-For %j: peer %j → %j', (forwardedFor, peer, expected) => {
    expect(resolveClientIp({ forwardedFor, peer, trusted: none })).toBe(expected);
  });

  it.each<[string | null, string | null, string | null]>([
    ['203.0.113.7', '10.0.0.2', '203.0.113.7'],
    ['198.51.100.1, 203.0.113.7', '10.0.0.2', '203.0.113.7'],
    ['203.0.113.7, 10.0.0.9, 10.1.2.3', '10.0.0.2', '203.0.113.7'],
    [' 2001:db8::1 , 2001:db9::5', '10.0.0.2', '2001:db9::5'],
    ['203.0.113.7', '192.0.2.1', '192.0.2.1'],
    ["1.2.3.4'; drop table x, 10.0.0.3", '10.0.0.2', null],
    ['', '10.0.0.2', '10.0.0.2'],
    ['10.0.0.5, 10.0.0.3', '10.0.0.2', '10.0.0.5'],
    ['203.0.113.7, 10.0.0.3', null, '203.0.113.7'],
  ])('with trusted proxies walks X-Forwarded-For %j from the right (peer %j) → %j', (forwardedFor, peer, expected) => {
    expect(resolveClientIp({ forwardedFor, peer, trusted: lb })).toBe(expected);
  });
});

describe('parseTrustedProxies', () => {
  it('takes addresses and CIDR ranges, and names the first bad entry', () => {
    expect(parseTrustedProxies(' 10.0.0.0/8 ,192.0.2.7,, ::1/128 ')).toEqual({ ok: true, entries: ['10.0.0.0/8', '192.0.2.7', '::1/128'] });
    expect(parseTrustedProxies('10.0.0.0/8, proxy')).toEqual({ ok: false, bad: 'proxy' });
    expect(parseTrustedProxies('10.0.0.0/x')).toEqual({ ok: false, bad: '10.0.0.0/x' });
    expect(parseTrustedProxies('::/129')).toEqual({ ok: false, bad: '::/129' });
  });
});
