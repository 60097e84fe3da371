import { NextResponse, type NextRequest } from 'next/server';
import { getDb } from '@/db';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { authSecret } from '@/lib/auth/config';
import { sessionCookieName, sessionIdFromCookie } from '@/lib/auth/session-cookie';
import { startTestSignIn } from '@/lib/connections/start-test-sign-in';
import { testSignInCookie } from '@/lib/connections/test-sign-in-cookie';
import { refusalUrl, refuseWhenUnavailable } from '@/lib/http/refusal';
import { inTransaction } from '@/lib/lifecycle/context';
import { bindingCookie } from '@/lib/saml/browser-binding';
import { appUrl } from '@/lib/saml/sp-metadata';
import { SAML_REQUEST_TTL_SECONDS } from '@/lib/saml/start-login';

type Context = { params: Promise<{ id: string }> };

/** Test sign-in (opened in a new tab from the connection's page): admins only; sets the test cookie and goes to the IdP. */
export async function GET(request: NextRequest, context: Context) {
  const { id } = await context.params;
  const base = appUrl();
  return refuseWhenUnavailable(async () => {
    const gate = await resolveAdmin(getDb(), await sessionIdFromCookie(request.cookies.get(sessionCookieName())?.value));
    if (gate.kind === 'signed_out') return NextResponse.redirect(new URL(`/login?returnTo=${encodeURIComponent(`/admin/connections/${id}`)}`, base), 303);
    if (gate.kind === 'forbidden') {
      const refused = { organizationId: gate.organizationId, actor: { type: 'user' as const, id: gate.accountId }, action: 'admin.action_refused' as const, target: { type: 'account', id: gate.accountId }, data: { action: 'connection.test_sign_in', reason: 'not an administrator' } };
      await inTransaction(getDb(), { actor: refused.actor }, async (_tx, ctx) => ctx.record(refused));
      return new NextResponse('Only an administrator of this organization can test a sign-in.', { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    const binding = bindingCookie(base, SAML_REQUEST_TTL_SECONDS);
    const started = await startTestSignIn(getDb(), { admin: gate.admin, connectionId: id, browserBinding: request.cookies.get(binding.name)?.value }, { appUrl: base, secret: authSecret() });
    if (!started.ok) {
      if (started.reason === 'not_found') return new NextResponse('No such connection in your organization.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      return NextResponse.redirect(refusalUrl(base, started.reason), 303);
    }
    const response = started.kind === 'form' ? new NextResponse(started.html, { headers: { 'content-type': 'text/html; charset=utf-8' } }) : NextResponse.redirect(new URL(started.url, base), 303);
    const cookie = testSignInCookie(base);
    response.cookies.set(cookie.name, started.cookie, cookie.options);
    if (started.browserBinding) response.cookies.set(binding.name, started.browserBinding, binding.options);
    response.headers.set('cache-control', 'no-store');
    return response;
  }, () => NextResponse.redirect(refusalUrl(base, 'unavailable'), 303));
}
