import { cookies } from 'next/headers';
import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { auditOidcFailure, refuseUnknownProvider } from '@/lib/auth/audit-oidc-failure';
import { CALLBACK_URL_COOKIES, isUsableCallbackUrl } from '@/lib/auth/callback-url';
import { buildAuthOptions } from '@/lib/auth/config';
import { endOidcTest, oidcTestFor } from '@/lib/auth/oidc-test-sign-in';
import { refusalResponse, refuseWhenUnavailable } from '@/lib/http/refusal';
import { loginContextFrom } from '@/lib/http/request-context';
import { appUrl } from '@/lib/saml/sp-metadata';

type Context = { params: Promise<{ nextauth: string[] }> };

/** A callbackUrl next-auth would answer with a 500 is dropped (lib/auth/callback-url.ts); the cookie is also cleared. */
async function dropUnusableCallbackUrl(req: NextRequest, base: string): Promise<void> {
  const param = req.nextUrl.searchParams.get('callbackUrl');
  if (param !== null && !isUsableCallbackUrl(param, base)) req.nextUrl.searchParams.delete('callbackUrl');
  const jar = await cookies();
  for (const name of CALLBACK_URL_COOKIES) {
    const value = jar.get(name)?.value;
    if (value && !isUsableCallbackUrl(value, base)) jar.delete(name);
  }
}

/** next-auth, with the sign-ins it fails on its own audited as login.rejected (lib/auth/audit-oidc-failure.ts). */
async function handler(req: NextRequest, context: Context) {
  const [action, providerId] = (await context.params).nextauth;
  const base = appUrl();
  await dropUnusableCallbackUrl(req, base);
  const named = action === 'signin' || action === 'callback' ? providerId : undefined;
  return refuseWhenUnavailable(async () => {
    const login = loginContextFrom(req.headers);
    const test = action === 'callback' && named ? await oidcTestFor(named, base) : null;
    const options = await buildAuthOptions({ providerId: named, request: login, test });
    // No enabled OIDC connection by that id: the refusal page, not next-auth's bare 400 or sign-in loop.
    if (named !== undefined && options.providers.length === 0) return refusalResponse(req, base, await refuseUnknownProvider(action, named, login));
    const response = await auditOidcFailure({ action, providerId, method: req.method, url: req.nextUrl, baseUrl: base, context: login }, () => NextAuth(req, context, options));
    return test ? endOidcTest(response, test, { url: req.nextUrl, appUrl: base, context: login }) : response;
  }, () => refusalResponse(req, base, 'unavailable'));
}

export { handler as GET, handler as POST };
