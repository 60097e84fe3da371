import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Provider, { interactionPolicy, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { memoryAdapter } from './memory-adapter';
import { renderErrorPage } from './pages';
import { toClaims, type DemoDirectory } from './users';

export type DemoClient = {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** next-auth (openid-client) defaults to client_secret_basic; oidc-provider holds each client to one method. */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
};

const SCOPES = ['openid', 'email', 'profile', 'groups'];
const PROFILE_CLAIMS = ['name', 'given_name', 'family_name', 'preferred_username', 'department', 'title', 'employee_number', 'groups'];

/** A fresh RS256 signing key per start: tokens from an earlier run are worthless, by design. */
function signingKeys() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' }] };
}

function toClientMetadata(client: DemoClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: client.redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod ?? 'client_secret_basic',
    // "web" accepts http://localhost redirect URIs for the code flow (only implicit forbids them).
    application_type: 'web',
    scope: SCOPES.join(' '),
  };
}

/** Every client here is first-party: grant all demo scopes instead of showing a consent screen. */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { provider, client, account, result, session } = ctx.oidc;
  if (!client || !account) return undefined;
  const grantId = result?.consent?.grantId ?? session?.grantIdFor(client.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  const grant = existing?.accountId === account.accountId ? existing : new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
  grant.addOIDCScope(SCOPES.join(' '));
  await grant.save();
  return grant;
}

/**
 * Single sign-on as usual (a session skips the form), except when the app names someone else in
 * login_hint: then the form is shown again, so people can switch demo users in one browser.
 */
function loginHintPolicy(directory: DemoDirectory) {
  const policy = interactionPolicy.base();
  const { Check } = interactionPolicy;
  const hintMismatch = new Check('demo_login_hint_mismatch', 'login_hint names another user', 'login_required', (ctx) => {
    const { params, session, result } = ctx.oidc;
    const hint = typeof params?.login_hint === 'string' ? directory.findByHint(params.login_hint) : undefined;
    if (result?.login || !hint || !session?.accountId) return Check.NO_NEED_TO_PROMPT;
    return hint.sub === session.accountId ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
  });
  policy.get('login')?.checks.add(hintMismatch);
  return policy;
}

/** Builds the provider and validates the clients, which oidc-provider would otherwise do on first use. */
export async function createProvider(issuer: string, clients: DemoClient[], directory: DemoDirectory): Promise<Provider> {
  const provider = new Provider(issuer, configuration(clients, directory));
  await Promise.all(clients.map((client) => provider.Client.find(client.clientId)));
  return provider;
}

function configuration(clients: DemoClient[], directory: DemoDirectory): Configuration {
  return {
    adapter: memoryAdapter(),
    clients: clients.map(toClientMetadata),
    jwks: signingKeys(),
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      // Lax, not oidc-provider's default None: browsers drop SameSite=None without Secure, and koa won't set Secure over http.
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    scopes: SCOPES,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      // The app asks for "openid email profile" only, so the directory attributes ride on profile.
      profile: PROFILE_CLAIMS,
      groups: ['groups'],
    },
    // Put the scope claims in the ID token as well as in userinfo (OIDC Core puts them in userinfo only).
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    pkce: { methods: ['S256'] },
    // Seconds. Set explicitly: oidc-provider logs a notice for every default it falls back to.
    ttl: { Interaction: 3600, Session: 8 * 3600, Grant: 8 * 3600, AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600 },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false } },
    findAccount: (_ctx, sub) => {
      const user = directory.find(sub);
      // Claims are read when each token is issued, so a PATCHed user shows up on the next sign-in.
      return user && { accountId: user.sub, claims: () => toClaims(directory.find(sub) ?? user) };
    },
    loadExistingGrant,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: loginHintPolicy(directory) },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(out);
    },
  };
}
