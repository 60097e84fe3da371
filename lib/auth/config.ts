import type { NextAuthOptions, User } from 'next-auth';
import { getDb } from '@/db';
import { getConnectionById, getConnectionSecret } from '@/db/queries/connections';
import { decryptSecret } from '@/lib/crypto/secret-box';
import { finishTestSignIn } from '@/lib/connections/test-sign-in';
import type { TestSignIn } from '@/lib/connections/test-sign-in-cookie';
import { getEnv } from '@/lib/env';
import { provisionFromLogin, type LoginContext } from '@/lib/jit/provision-user';
import { inTransaction } from '@/lib/lifecycle/context';
import { closeSession } from '@/lib/lifecycle/session/close-session';
import { recordOidcRefusal } from './audit-oidc-failure';
import { authLogger } from './oidc-error-trail';
import { oidcProviderFor, type OidcProfile } from './oidc-provider';

/** What the JWT carries: a pointer to the server-side session row, checked on every request. */
export type RosterToken = { sid?: string; aid?: string; oid?: string };
type RosterUser = User & { roster?: { sessionId: string; accountId: string; organizationId: string } };

export function authSecret(): string {
  const secret = getEnv().NEXTAUTH_SECRET;
  if (!secret) throw new Error('NEXTAUTH_SECRET is not set (npm run dev generates one into .env.local).');
  return secret;
}

/** The provider of one enabled OIDC connection, with its client secret decrypted; null otherwise. */
async function loadProvider(connectionId: string) {
  const db = getDb();
  const connection = await getConnectionById(db, connectionId);
  if (!connection || connection.protocol !== 'oidc' || !connection.enabled) return null;
  const sealed = await getConnectionSecret(db, connection.organizationId, connection.id);
  const key = getEnv().ROSTER_ENCRYPTION_KEY;
  const secret = sealed && key ? decryptSecret(sealed, key) : '';
  return oidcProviderFor(connection, secret);
}

/**
 * next-auth options for one request. Providers are built from the database: only the connection
 * named in the URL (sign-in or callback) is loaded, so any number of tenants' connections work.
 * `test`: this callback answers an admin's test sign-in (lib/auth/oidc-test-sign-in.ts): the
 * identity is previewed, not signed in. Returning a URL from signIn redirects without a session,
 * so the admin's own session cookie stays as it was.
 */
export async function buildAuthOptions(input: { providerId?: string; request?: LoginContext; test?: TestSignIn | null } = {}): Promise<NextAuthOptions> {
  const env = getEnv();
  const request: LoginContext = input.request ?? { sessionMaxAgeSeconds: env.ROSTER_SESSION_MAX_AGE };
  const provider = input.providerId ? await loadProvider(input.providerId) : null;
  return {
    secret: authSecret(),
    providers: provider ? [provider] : [],
    session: { strategy: 'jwt', maxAge: env.ROSTER_SESSION_MAX_AGE },
    pages: { signIn: '/login', error: '/login/error' },
    logger: authLogger,
    callbacks: {
      async signIn({ user, account, profile }) {
        const claims = profile as OidcProfile | undefined;
        if (input.test && account?.provider === input.test.connectionId) {
          const answer = claims?.sub ? { identity: { connectionId: account.provider, subject: String(claims.sub), claims } } : { failure: { reason: 'missing_claim' as const, detail: 'sub' } };
          return (await finishTestSignIn(getDb(), input.test, answer, request)).location;
        }
        if (!account || !claims?.sub) {
          await recordOidcRefusal(account?.provider ?? input.providerId ?? '', { reason: 'missing_claim', detail: 'sub' }, request);
          return '/login/error?reason=missing_claim';
        }
        const result = await provisionFromLogin(
          getDb(),
          { connectionId: account.provider, subject: String(claims.sub), claims },
          request,
        );
        if (!result.ok) return `/login/error?reason=${result.reason}`;
        // next-auth hands this same object to the jwt callback below.
        (user as RosterUser).roster = { sessionId: result.sessionId, accountId: result.accountId, organizationId: result.organizationId };
        return true;
      },
      async jwt({ token, user }) {
        const roster = (user as RosterUser | undefined)?.roster;
        if (!roster) return token;
        return { sub: roster.accountId, sid: roster.sessionId, aid: roster.accountId, oid: roster.organizationId };
      },
      async session({ session, token }) {
        return { expires: session.expires, sid: (token as RosterToken).sid };
      },
      async redirect({ url, baseUrl }) {
        if (url.startsWith('/')) return `${baseUrl}${url}`;
        return URL.canParse(url) && new URL(url).origin === baseUrl ? url : baseUrl; // never throws: a POSTed callbackUrl is not checked before
      },
    },
    events: {
      async signOut({ token }) {
        const { sid, aid } = (token as RosterToken | null) ?? {};
        if (!sid) return;
        const actor = { type: 'user' as const, id: aid ?? null, requestId: request.requestId, ip: request.ip };
        await inTransaction(getDb(), { actor }, (tx, ctx) => closeSession(tx, { sessionId: sid, reason: 'signed out' }, ctx));
      },
    },
  };
}
