import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeUriOr } from '@/lib/http/decode-uri';

/** How long a test sign-in may take at the IdP (MFA included). */
export const TEST_SIGN_IN_TTL_SECONDS = 10 * 60;

/** Who started a test sign-in of which connection: the admin's account and session, and a nonce. */
export type TestSignIn = { connectionId: string; organizationId: string; accountId: string; sessionId: string; nonce: string; expiresAt: number };
export type TestSignInCheck = { ok: true; test: TestSignIn } | { ok: false; reason: 'absent' | 'malformed' | 'signature' | 'expired' | 'other_connection' };

const PURPOSE = 'roster-test-sign-in.v1';
const mac = (payload: string, secret: string) => createHmac('sha256', secret).update(`${PURPOSE}.${payload}`).digest('base64url');

/**
 * The cookie that turns the next sign-in through one connection, in this browser, into a test: the
 * answer is previewed (lib/connections/test-sign-in.ts) instead of signing anyone in. HttpOnly, one
 * path for the whole app, ten minutes. Over plain http it is SameSite=Lax; behind https it is
 * `__Host-`, Secure and SameSite=None, like the SAML binding cookie (lib/saml/browser-binding.ts),
 * because a SAML answer arrives as a cross-site POST. It cannot act on its own: it is signed with
 * NEXTAUTH_SECRET, names the admin's live session (checked again on the way back), and a SAML answer
 * is taken as a test only for an AuthnRequest the test started (its RelayState holds the nonce).
 */
export function testSignInCookie(appUrl: string) {
  const secure = new URL(appUrl).protocol === 'https:';
  return {
    name: secure ? '__Host-roster-test-sign-in' : 'roster-test-sign-in',
    options: { httpOnly: true, secure, sameSite: secure ? ('none' as const) : ('lax' as const), path: '/', maxAge: TEST_SIGN_IN_TTL_SECONDS },
  };
}

export function newTestSignIn(input: Omit<TestSignIn, 'nonce' | 'expiresAt'>, now = new Date()): TestSignIn {
  return { ...input, nonce: randomBytes(18).toString('base64url'), expiresAt: Math.floor(now.getTime() / 1000) + TEST_SIGN_IN_TTL_SECONDS };
}

export function signTestSignIn(test: TestSignIn, secret: string): string {
  const payload = Buffer.from(JSON.stringify(test)).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;

/** The test the cookie names, if it is ours, unexpired, and for this connection. */
export function verifyTestSignIn(value: string | null | undefined, secret: string, expect: { connectionId: string; now?: Date }): TestSignInCheck {
  if (!value) return { ok: false, reason: 'absent' };
  const [payload, signature, extra] = value.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const want = Buffer.from(mac(payload, secret));
  const got = Buffer.from(signature);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: 'signature' };
  let test: TestSignIn;
  try {
    test = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TestSignIn;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const fields = [test?.connectionId, test?.organizationId, test?.accountId, test?.sessionId, test?.nonce];
  if (!fields.every(isText) || typeof test.expiresAt !== 'number') return { ok: false, reason: 'malformed' };
  if (test.expiresAt * 1000 <= (expect.now ?? new Date()).getTime()) return { ok: false, reason: 'expired' };
  if (test.connectionId !== expect.connectionId) return { ok: false, reason: 'other_connection' };
  return { ok: true, test };
}

/** The RelayState of a test's SAML AuthnRequest: where its answer is recognised as a test (with its nonce). */
export function testReturnTo(connectionId: string, nonce: string): string {
  return `/admin/connections/${connectionId}/test?nonce=${encodeURIComponent(nonce)}`;
}

/**
 * The nonce of a test's RelayState, or null when it is an ordinary one. The return path comes from
 * whoever started the sign-in (`?returnTo=`): a malformed escape in it is kept as it is, so no test
 * cookie's nonce matches and the answer is refused as a test (decodeURIComponent threw: a 500 at
 * the ACS).
 */
export function testNonceOf(returnTo: string, connectionId: string): string | null {
  const prefix = `/admin/connections/${connectionId}/test?nonce=`;
  if (!returnTo.startsWith(prefix)) return null;
  const nonce = returnTo.slice(prefix.length);
  return decodeUriOr(nonce, nonce);
}
