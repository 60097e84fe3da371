import { NextResponse, type NextRequest } from 'next/server';
import { getDb } from '@/db';
import { refusalUrl, refuseWhenUnavailable } from '@/lib/http/refusal';
import { bindingCookie } from '@/lib/saml/browser-binding';
import { appUrl } from '@/lib/saml/sp-metadata';
import { SAML_REQUEST_TTL_SECONDS, startSamlLogin } from '@/lib/saml/start-login';

type Context = { params: Promise<{ connectionId: string }> };

/**
 * SP-initiated sign-in: /api/saml/<connection>/login?returnTo=/me → the IdP, with a tracked
 * AuthnRequest bound to this browser by its binding cookie (lib/saml/browser-binding.ts).
 */
export async function GET(request: NextRequest, context: Context) {
  const { connectionId } = await context.params;
  const base = appUrl();
  const cookie = bindingCookie(base, SAML_REQUEST_TTL_SECONDS);
  return refuseWhenUnavailable(async () => {
    const started = await startSamlLogin(
      getDb(),
      { connectionId, returnTo: request.nextUrl.searchParams.get('returnTo'), browserBinding: request.cookies.get(cookie.name)?.value },
      { appUrl: base },
    );
    if (!started.ok) return NextResponse.redirect(new URL(`/login/error?reason=${started.reason}`, base), 303);
    const response =
      started.kind === 'form'
        ? new NextResponse(started.html, { headers: { 'content-type': 'text/html; charset=utf-8' } })
        : NextResponse.redirect(started.url, 302);
    response.cookies.set(cookie.name, started.browserBinding, cookie.options);
    response.headers.set('cache-control', 'no-store');
    return response;
  }, () => NextResponse.redirect(refusalUrl(base, 'unavailable'), 303));
}
