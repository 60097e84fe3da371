import { encode } from 'next-auth/jwt';
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
