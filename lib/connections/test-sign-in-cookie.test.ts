import { describe, expect, it } from 'vitest';
import { newTestSignIn, signTestSignIn, testNonceOf, testReturnTo, testSignInCookie, verifyTestSignIn } from './test-sign-in-cookie';

const secret = 'a-secret-of-at-least-thirty-two-characters';
const now = new Date('2026-12-01T10:00:00Z');
const test = newTestSignIn({ connectionId: 'conn-1', organizationId: 'org-1', accountId: 'acc-1', sessionId: 'ses-1' }, now);
const value = signTestSignIn(test, secret);
const tamper = (v: string, at: number) => v.slice(0, at) + (v[at] === 'A' ? 'B' : 'A') + v.slice(at + 1);

describe('test sign-in cookie', () => {
  it('verifies its own value for its connection, until it expires', () => {
    expect(verifyTestSignIn(value, secret, { connectionId: 'conn-1', now })).toEqual({ ok: true, test });
    expect(verifyTestSignIn(value, secret, { connectionId: 'conn-1', now: new Date(now.getTime() + 9 * 60_000) }).ok).toBe(true);
    expect(verifyTestSignIn(value, secret, { connectionId: 'conn-1', now: new Date(now.getTime() + 10 * 60_000) })).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another connection, another secret, a tampered payload or signature, and junk', () => {
    expect(verifyTestSignIn(value, secret, { connectionId: 'conn-2', now })).toEqual({ ok: false, reason: 'other_connection' });
    expect(verifyTestSignIn(value, `${secret}x`, { connectionId: 'conn-1', now })).toEqual({ ok: false, reason: 'signature' });
    expect(verifyTestSignIn(tamper(value, 5), secret, { connectionId: 'conn-1', now })).toEqual({ ok: false, reason: 'signature' });
    expect(verifyTestSignIn(tamper(value, value.length - 3), secret, { connectionId: 'conn-1', now })).toEqual({ ok: false, reason: 'signature' });
    // A payload naming another connection, signed by someone without the secret:
    const forged = signTestSignIn({ ...test, connectionId: 'conn-2' }, 'guess');
    expect(verifyTestSignIn(forged, secret, { connectionId: 'conn-2', now })).toEqual({ ok: false, reason: 'signature' });
    expect(verifyTestSignIn(undefined, secret, { connectionId: 'conn-1', now })).toEqual({ ok: false, reason: 'absent' });
    expect(verifyTestSignIn('abc', secret, { connectionId: 'conn-1', now })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyTestSignIn(`${value}.x`, secret, { connectionId: 'conn-1', now })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('a signed payload missing a field is refused', () => {
    const { sessionId: _s, ...partial } = test;
    expect(verifyTestSignIn(signTestSignIn(partial as typeof test, secret), secret, { connectionId: 'conn-1', now })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('each test gets its own nonce, carried by the RelayState of its connection only', () => {
    const other = newTestSignIn({ connectionId: 'conn-1', organizationId: 'org-1', accountId: 'acc-1', sessionId: 'ses-1' }, now);
    expect(other.nonce).not.toBe(test.nonce);
    expect(testNonceOf(testReturnTo('conn-1', test.nonce), 'conn-1')).toBe(test.nonce);
    expect(testNonceOf(testReturnTo('conn-1', test.nonce), 'conn-2')).toBeNull();
    expect(testNonceOf('/me', 'conn-1')).toBeNull();
    // A sign-in started with ?returnTo= of its own choosing: a malformed escape is no nonce of any test, never a throw.
    expect(testNonceOf('/admin/connections/conn-1/test?nonce=%ZZ', 'conn-1')).toBe('%ZZ');
  });

  it('is HttpOnly, ten minutes, Lax over http and __Host- SameSite=None Secure behind https', () => {
    expect(testSignInCookie('http://localhost:3000')).toEqual({ name: 'roster-test-sign-in', options: { httpOnly: true, secure: false, sameSite: 'lax', path: '/', maxAge: 600 } });
    expect(testSignInCookie('https://roster.example.com')).toMatchObject({ name: '__Host-roster-test-sign-in', options: { secure: true, sameSite: 'none' } });
  });
});
