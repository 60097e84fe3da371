import type { OAuthConfig } from 'next-auth/providers/oauth';
import type { ConnectionRow } from '@/db/queries/connections';

type ValidatedTokens = { access_token?: string; claims(): OidcProfile };

export type OidcProfile = Record<string, unknown> & { sub: string };

/**
 * A next-auth provider for one OIDC connection: discovery from the issuer, authorization code
 * with PKCE, state and nonce, ID token validated by openid-client. The profile is the ID token's
 * claims merged over the userinfo response (whose `sub` must match, OIDC Core §5.3.2).
 */
export function oidcProviderFor(connection: ConnectionRow, clientSecret: string): OAuthConfig<OidcProfile> {
  const issuer = (connection.issuer ?? '').replace(/\/$/, '');
  return {
    id: connection.id,
    name: connection.name,
    type: 'oauth',
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: connection.clientId ?? '',
    clientSecret,
    authorization: { params: { scope: connection.scopes } },
    checks: ['pkce', 'state', 'nonce'],
    idToken: true,
    userinfo: {
      async request(context) {
        // At runtime `tokens` is openid-client's TokenSet (next-auth types it loosely).
        const tokens = context.tokens as unknown as ValidatedTokens;
        const claims = tokens.claims();
        if (!context.client.issuer.metadata.userinfo_endpoint || !tokens.access_token) return claims;
        const info = await context.client.userinfo(tokens.access_token);
        if (info.sub !== claims.sub) throw new Error('userinfo sub does not match the ID token');
        return { ...info, ...claims };
      },
    },
    profile(profile) {
      return { id: String(profile.sub), email: typeof profile.email === 'string' ? profile.email : null };
    },
  };
}
