import { encode } from 'next-auth/jwt';
import type { Database } from '@/db';
import { upsertRole } from '@/db/queries/roles';
import type { Account } from '@/db/schema';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { linkIdentity } from '@/lib/lifecycle/identity/link-identity';
import { openSession } from '@/lib/lifecycle/session/open-session';
import { asAdmin, makeAccount } from './fixtures';

/**
 * A signed-in administrator for tests of pages and server actions: an account holding the admin
 * role, a live session opened the way a sign-in opens one, and — given the app's NEXTAUTH_SECRET —
 * the next-auth session cookie a browser would carry (for Playwright's context.addCookies).
 */
export async function makeAdminSession(db: Database, organizationId: string, connectionId: string, options: { admin?: boolean } = {}) {
  const account: Account = await makeAccount(db, organizationId, { door: 'jit' });
  return asAdmin(db, async (tx, ctx) => {
    if (options.admin !== false) {
      await upsertRole(tx, { organizationId, key: 'admin', name: 'Administrator' });
      await grantRole(tx, { organizationId, accountId: account.id, roleKey: 'admin' }, ctx);
    }
    const { identityId } = await linkIdentity(tx, { organizationId, accountId: account.id, connectionId, subject: `sub-${account.id}`, via: 'jit_create' }, ctx);
    const session = await openSession(tx, { account, identityId, connection: { id: connectionId, protocol: 'oidc' }, request: { maxAgeSeconds: 3600 }, jitCreated: false }, ctx);
    return {
      account,
      sessionId: session.sessionId,
      /** The session cookie for an app served at `appUrl` with this secret. */
      cookie: async (secret: string, appUrl: string) => {
        const secure = appUrl.startsWith('https://');
        const value = await encode({ secret, maxAge: 3600, token: { sub: account.id, sid: session.sessionId, aid: account.id, oid: organizationId } });
        return { name: `${secure ? '__Secure-' : ''}next-auth.session-token`, value, url: appUrl, httpOnly: true, sameSite: 'Lax' as const, secure };
      },
    };
  });
}
