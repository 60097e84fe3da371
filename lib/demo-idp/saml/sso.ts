import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerAuthnRequest } from '@/lib/saml/testing/answer-authn-request';
import type { TestIdp } from '@/lib/saml/testing/test-idp';
import { HttpError, readForm, send } from '../http';
import { renderLoginPage, renderNotFoundPage } from '../pages';
import { DEMO_PASSWORD, type DemoDirectory } from '../users';
import { toSamlAssertion } from './attributes';
import type { PendingRequests } from './pending-requests';
import { findServiceProvider, type ServiceProvider } from './service-provider';

export const SAML_IDP_NAME = 'Acme Demo SAML IdP';

/** An AuthnRequest waiting for the login form: the redirect URL it came in, and its SP. */
export type PendingSignIn = { redirectUrl: string; sp: ServiceProvider };

export type SsoContext = {
  idp: TestIdp;
  baseUrl: string;
  directory: DemoDirectory;
  pending: PendingRequests<PendingSignIn>;
  trustedSpOrigins: readonly string[];
  req: IncomingMessage;
  res: ServerResponse;
};

/**
 * GET /saml/sso: the HTTP-Redirect binding's SSO endpoint. Reads and checks the AuthnRequest
 * against its SP's metadata, then shows the login form (no IdP session: every sign-in asks).
 */
export async function handleSsoRequest(ctx: SsoContext): Promise<void> {
  if (ctx.req.method !== 'GET') throw new HttpError(405, 'Use GET (HTTP-Redirect binding)');
  const url = new URL(ctx.req.url ?? '/', ctx.baseUrl);
  const samlRequest = url.searchParams.get('SAMLRequest');
  if (!samlRequest) throw new HttpError(400, 'Missing SAMLRequest: start the sign-in from the app.');
  const sp = await findServiceProvider(samlRequest, ctx.trustedSpOrigins);
  await ctx.idp.readAuthnRequest(url.href, sp.metadataXml).catch((error: unknown) => {
    throw new HttpError(400, `The AuthnRequest was refused: ${error instanceof Error ? error.message : String(error)}`);
  });
  const id = ctx.pending.add({ redirectUrl: url.href, sp });
  showLogin(ctx, id, sp.entityId);
}

/** POST /saml/login/:id: checks the password, then auto-posts the signed response to the SP's ACS. */
export async function handleLogin(ctx: SsoContext, id: string): Promise<void> {
  const pending = ctx.pending.get(id);
  if (!pending) return send(ctx.res, 404, 'html', renderNotFoundPage(SAML_IDP_NAME));
  if (ctx.req.method !== 'POST') throw new HttpError(405, 'Use POST');
  const form = await readForm(ctx.req);
  const username = (form.get('username') ?? '').trim().toLowerCase();
  const user = ctx.directory.users.get(username);
  if (!user || form.get('password') !== DEMO_PASSWORD) {
    return showLogin(ctx, id, pending.sp.entityId, { error: 'Unknown username or wrong password.', username, status: 401 });
  }
  ctx.pending.take(id);
  const { html } = await answerAuthnRequest(ctx.idp, { redirectUrl: pending.redirectUrl, spMetadataXml: pending.sp.metadataXml, user: toSamlAssertion(user) });
  send(ctx.res, 200, 'html', html);
}

function showLogin(ctx: SsoContext, id: string, audience: string, o: { error?: string; username?: string; status?: number } = {}): void {
  const users = [...ctx.directory.users.values()];
  const page = renderLoginPage({ action: `/saml/login/${id}`, idpName: SAML_IDP_NAME, audience, users, error: o.error, username: o.username });
  send(ctx.res, o.status ?? 200, 'html', page);
}
