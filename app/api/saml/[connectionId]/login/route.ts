import { NextResponse, type NextRequest } from 'next/server';
import { getDb } from '@/db';
import { appUrl } from '@/lib/saml/sp-metadata';
import { refusalUrl, refuseWhenUnavailable } from '@/lib/http/refusal';
import { startSamlLogin } from '@/lib/saml/start-login';

type Context = { params: Promise<{ connectionId: string }> };

/** SP-initiated sign-in: /api/saml/<connection>/login?returnTo=/me → the IdP, with a tracked AuthnRequest. */
export async function GET(request: NextRequest, context: Context) {
  const { connectionId } = await context.params;
  const base = appUrl();
  return refuseWhenUnavailable(async () => {
    const started = await startSamlLogin(getDb(), { connectionId, returnTo: request.nextUrl.searchParams.get('returnTo') }, { appUrl: base });
    if (!started.ok) return NextResponse.redirect(new URL(`/login/error?reason=${started.reason}`, base), 303);
    if (started.kind === 'form') {
      return new Response(started.html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
    }
    const response = NextResponse.redirect(started.url, 302);
    response.headers.set('cache-control', 'no-store');
    return response;
  }, () => NextResponse.redirect(refusalUrl(base, 'unavailable'), 303));
}
