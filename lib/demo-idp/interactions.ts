import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { HttpError, readForm, send } from './http';
import { renderLoginPage, renderNotFoundPage } from './pages';
import { DEMO_PASSWORD, type DemoDirectory } from './users';

export type InteractionAction = 'show' | 'login' | 'abort';
type Context = { provider: Provider; directory: DemoDirectory; req: IncomingMessage; res: ServerResponse };

/** The IdP's own sign-in pages: GET /interaction/:uid, POST /interaction/:uid/login and /abort. */
export async function handleInteraction(ctx: Context, uid: string, action: InteractionAction): Promise<void> {
  const interaction = await loadInteraction(ctx, uid);
  if (!interaction) return send(ctx.res, 404, 'html', renderNotFoundPage());
  if (action !== 'show' && ctx.req.method !== 'POST') throw new HttpError(405, 'Method not allowed');
  if (action === 'abort') {
    return finish(ctx, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' });
  }
  if (interaction.prompt.name === 'consent') return grantConsent(ctx, interaction);
  if (action === 'login') return submitLogin(ctx, interaction);
  return showLogin(ctx, interaction);
}

/** Null when the interaction cookie is missing or expired, or belongs to another sign-in request. */
async function loadInteraction({ provider, req, res }: Context, uid: string): Promise<Interaction | null> {
  try {
    const interaction = await provider.interactionDetails(req, res);
    return interaction.uid === uid ? interaction : null;
  } catch (error) {
    if (error instanceof Error && error.name === 'SessionNotFound') return null;
    throw error;
  }
}

function showLogin(ctx: Context, interaction: Interaction, error?: string, username?: string, status = 200): void {
  const clientId = String(interaction.params.client_id ?? '');
  const users = [...ctx.directory.users.values()];
  const hint = interaction.params.login_hint;
  username ??= typeof hint === 'string' ? ctx.directory.findByHint(hint)?.username : undefined;
  const action = `/interaction/${encodeURIComponent(interaction.uid)}`;
  const page = renderLoginPage({ action: `${action}/login`, cancelAction: `${action}/abort`, audience: clientId, users, error, username });
  send(ctx.res, status, 'html', page);
}

async function submitLogin(ctx: Context, interaction: Interaction): Promise<void> {
  const form = await readForm(ctx.req);
  const username = (form.get('username') ?? '').trim().toLowerCase();
  const user = ctx.directory.users.get(username);
  if (!user || form.get('password') !== DEMO_PASSWORD) {
    return showLogin(ctx, interaction, 'Unknown username or wrong password.', username, 401);
  }
  await dropEarlierSession(ctx.provider, interaction);
  return finish(ctx, { login: { accountId: user.sub, amr: ['pwd'] } });
}

/**
 * A sign-in through the form replaces any earlier IdP session. Otherwise signing in as someone else
 * (after a login_hint or prompt=login) makes oidc-provider insert its logout-confirm step, a
 * script-submitted form that needs rpInitiatedLogout; this does what that step does (see its resume.js).
 */
async function dropEarlierSession(provider: Provider, interaction: Interaction): Promise<void> {
  const uid = interaction.session?.uid;
  if (!uid) return;
  await (await provider.Session.findByUid(uid))?.destroy();
  delete interaction.session?.uid;
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
}

/** loadExistingGrant covers the demo scopes; this only catches a request for something beyond them. */
async function grantConsent(ctx: Context, interaction: Interaction): Promise<void> {
  const accountId = interaction.session?.accountId;
  const clientId = String(interaction.params.client_id ?? '');
  if (!accountId) throw new HttpError(400, 'Consent without a signed-in user');
  const grant = new ctx.provider.Grant({ accountId, clientId });
  const missing = interaction.prompt.details.missingOIDCScope;
  if (Array.isArray(missing)) grant.addOIDCScope(missing.map(String).join(' '));
  return finish(ctx, { consent: { grantId: await grant.save() } }, true);
}

function finish(ctx: Context, result: Parameters<Provider['interactionFinished']>[2], merge = false): Promise<void> {
  return ctx.provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
}
