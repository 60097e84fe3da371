import { decode, encode } from 'next-auth/jwt';
import { getEnv } from '@/lib/env';
import type { LoginSuccess } from '@/lib/jit/provision-user';
import { authSecret } from './config';

/** next-auth's session cookie name: the __Secure- prefix when the app is served over https. */
export function sessionCookieName(): string {
  const secure = (getEnv().NEXTAUTH_URL ?? '').startsWith('https://');
  return `${secure ? '__Secure-' : ''}next-auth.session-token`;
}

/**
 * The same session cookie an OIDC login gets, for logins that next-auth does not run itself
 * (SAML ACS): everything downstream stays protocol-blind.
 */
export async function issueSessionCookie(result: LoginSuccess) {
  const maxAge = Math.max(1, Math.floor((result.sessionExpiresAt.getTime() - Date.now()) / 1000));
  const value = await encode({
    secret: authSecret(),
    maxAge,
    token: { sub: result.accountId, sid: result.sessionId, aid: result.accountId, oid: result.organizationId },
  });
  const name = sessionCookieName();
  return {
    name,
    value,
    options: { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: name.startsWith('__Secure-'), expires: result.sessionExpiresAt },
  };
}

/**
 * The session row a session cookie points at, or null (no cookie, or not one of ours). What
 * next-auth's getServerSession returns for Roster's JWT sessions (callbacks in config.ts), read
 * without next-auth's request checks: those answer a malformed callback-url cookie with an error,
 * which made every signed-in page a 500 for whoever had such a cookie.
 */
export async function sessionIdFromCookie(value: string | undefined): Promise<string | null> {
  if (!value) return null;
  try {
    const token = (await decode({ token: value, secret: authSecret() })) as { sid?: unknown } | null;
    return typeof token?.sid === 'string' ? token.sid : null;
  } catch {
    return null;
  }
}
