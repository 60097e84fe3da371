import { NextResponse, type NextRequest } from 'next/server';
import { getDb } from '@/db';
import { issueSessionCookie } from '@/lib/auth/session-cookie';
import { handleSamlAcs } from '@/lib/saml/handle-acs';
import { readAcsForm } from '@/lib/saml/read-acs-form';
import { refusalUrl, refuseWhenUnavailable } from '@/lib/http/refusal';
import { loginContextFrom } from '@/lib/http/request-context';
import { appUrl } from '@/lib/saml/sp-metadata';

type Context = { params: Promise<{ connectionId: string }> };

/**
 * The Assertion Consumer Service (HTTP-POST). Validation and JIT happen in lib/saml; this sets the
 * same next-auth session cookie an OIDC login gets, or sends the person to the refusal page.
 */
export async function POST(request: NextRequest, context: Context) {
  const { connectionId } = await context.params;
  const base = appUrl();
  const form = await readAcsForm(request);
  return refuseWhenUnavailable(async () => {
    const result = await handleSamlAcs(getDb(), { connectionId, ...form }, { appUrl: base, context: loginContextFrom(request.headers) });
    if (!result.ok) return NextResponse.redirect(new URL(`/login/error?reason=${result.reason}`, base), 303);
    const cookie = await issueSessionCookie(result.login);
    const response = NextResponse.redirect(new URL(result.returnTo, base), 303);
    response.cookies.set(cookie.name, cookie.value, cookie.options);
    response.headers.set('cache-control', 'no-store');
    return response;
  }, () => NextResponse.redirect(refusalUrl(base, 'unavailable'), 303));
}
