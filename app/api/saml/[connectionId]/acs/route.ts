import { NextResponse, type NextRequest } from 'next/server';
import { getDb } from '@/db';
import { authSecret } from '@/lib/auth/config';
import { issueSessionCookie } from '@/lib/auth/session-cookie';
import { refusalUrl, refuseWhenUnavailable } from '@/lib/http/refusal';
import { loginContextFrom } from '@/lib/http/request-context';
import { bindingHopPage, needsBindingHop } from '@/lib/saml/acs-hop';
import { testSignInCookie, verifyTestSignIn } from '@/lib/connections/test-sign-in-cookie';
import { bindingCookie, readBrowserBinding } from '@/lib/saml/browser-binding';
import { handleSamlAcs } from '@/lib/saml/handle-acs';
import { readAcsForm } from '@/lib/saml/read-acs-form';
import { appUrl } from '@/lib/saml/sp-metadata';
import { SAML_REQUEST_TTL_SECONDS } from '@/lib/saml/start-login';

type Context = { params: Promise<{ connectionId: string }> };

/**
 * The Assertion Consumer Service (HTTP-POST). A post without the browser-binding cookie is first
 * bounced once through Roster's own page, so a SameSite=Lax cookie can come along (lib/saml/acs-hop.ts).
 * Validation, the binding check and JIT happen in lib/saml; this sets the same next-auth session
 * cookie an OIDC login gets, or sends the person to the refusal page — or, for an admin's test
 * sign-in (its cookie), to the test's result page, with no session and the test cookie cleared.
 */
export async function POST(request: NextRequest, context: Context) {
  const { connectionId } = await context.params;
  const base = appUrl();
  const form = await readAcsForm(request);
  const browserBinding = readBrowserBinding(request.cookies.get(bindingCookie(base, SAML_REQUEST_TTL_SECONDS).name)?.value);
  return refuseWhenUnavailable(async () => {
    if (await needsBindingHop(getDb(), connectionId, form, browserBinding)) {
      const hop = bindingHopPage(connectionId, form);
      return new NextResponse(hop.html, { headers: hop.headers });
    }
    const testCookie = testSignInCookie(base);
    const check = verifyTestSignIn(request.cookies.get(testCookie.name)?.value, authSecret(), { connectionId });
    const test = check.ok ? check.test : null;
    const result = await handleSamlAcs(getDb(), { connectionId, ...form, browserBinding, test }, { appUrl: base, context: loginContextFrom(request.headers) });
    if (result.ok === 'test') {
      const response = NextResponse.redirect(new URL(result.location, base), 303);
      response.cookies.set(testCookie.name, '', { ...testCookie.options, maxAge: 0 });
      return response;
    }
    if (!result.ok) return NextResponse.redirect(new URL(`/login/error?reason=${result.reason}`, base), 303);
    const cookie = await issueSessionCookie(result.login);
    const response = NextResponse.redirect(new URL(result.returnTo, base), 303);
    response.cookies.set(cookie.name, cookie.value, cookie.options);
    response.headers.set('cache-control', 'no-store');
    return response;
  }, () => NextResponse.redirect(refusalUrl(base, 'unavailable'), 303));
}
