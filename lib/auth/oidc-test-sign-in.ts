import { cookies } from 'next/headers';
import { getDb } from '@/db';
import { finishTestSignIn } from '@/lib/connections/test-sign-in';
import { testSignInCookie, verifyTestSignIn, type TestSignIn } from '@/lib/connections/test-sign-in-cookie';
import { isLoginRefusalReason } from '@/lib/jit/login-refusal';
import type { LoginContext } from '@/lib/jit/provision-user';
import { authSecret } from './config';
import { safeDetail } from './oidc-error-trail';

/**
 * The test sign-in this OIDC callback answers, if the browser carries a valid test cookie for its
 * connection (lib/connections/test-sign-in-cookie.ts). The cookie is cleared at once: one answer
 * per test, whatever it is.
 */
export async function oidcTestFor(providerId: string, appUrl: string): Promise<TestSignIn | null> {
  const jar = await cookies();
  const cookie = testSignInCookie(appUrl);
  const value = jar.get(cookie.name)?.value;
  if (!value) return null;
  const check = verifyTestSignIn(value, authSecret(), { connectionId: providerId });
  if (check.ok || check.reason !== 'other_connection') jar.set(cookie.name, '', { ...cookie.options, maxAge: 0 });
  return check.ok ? check.test : null;
}

/**
 * A test whose answer next-auth refused before Roster saw an identity (the IdP said access_denied, or
 * state, nonce, PKCE or the ID token failed; lib/auth/audit-oidc-failure.ts sends those to the
 * refusal page): the refusal goes to the test's result page too, so the admin sees why.
 */
export async function endOidcTest(response: Response, test: TestSignIn, request: { url: URL; appUrl: string; context: LoginContext }): Promise<Response> {
  const { appUrl, context } = request;
  const location = response.headers.get('location');
  if (!location) return response;
  const url = new URL(location, appUrl);
  const reason = url.searchParams.get('reason');
  if (url.origin !== new URL(appUrl).origin || url.pathname !== '/login/error' || !isLoginRefusalReason(reason) || reason === 'test_sign_in_invalid') return response;
  const idpError = request.url.searchParams.get('error');
  const description = request.url.searchParams.get('error_description');
  const detail = idpError ? safeDetail(`the IdP answered error=${idpError}${description ? `: ${description}` : ''}`) : null;
  const result = await finishTestSignIn(getDb(), test, { failure: { reason, detail } }, context);
  const headers = new Headers(response.headers);
  headers.set('location', new URL(result.location, appUrl).toString());
  return new Response(null, { status: 303, headers });
}
