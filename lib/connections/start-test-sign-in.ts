import type { Database } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import type { AdminPrincipal } from '@/lib/auth/admin-gate';
import type { LoginRefusalReason } from '@/lib/jit/login-refusal';
import { startSamlLogin } from '@/lib/saml/start-login';
import { newTestSignIn, signTestSignIn, testReturnTo } from './test-sign-in-cookie';

export type TestSignInStart =
  | { ok: true; cookie: string; kind: 'redirect'; url: string; browserBinding?: string }
  | { ok: true; cookie: string; kind: 'form'; html: string; browserBinding: string }
  | { ok: false; reason: LoginRefusalReason | 'not_found' };

/**
 * Starts an admin's test sign-in of one of their organization's connections: the value of the
 * test cookie (who, which connection, a nonce), and the way to the IdP — the real one. OIDC goes
 * through next-auth's usual sign-in for the connection (/sso/<id>: same callback URL, state, nonce,
 * PKCE); SAML through the usual AuthnRequest, whose request record's RelayState marks it a test
 * (lib/saml/handle-acs.ts answers it only as one). Nothing about accounts is written.
 */
export async function startTestSignIn(
  db: Database,
  input: { admin: AdminPrincipal; connectionId: string; browserBinding?: unknown },
  options: { appUrl: string; secret: string; now?: Date },
): Promise<TestSignInStart> {
  const { admin } = input;
  const connection = await getConnectionById(db, input.connectionId);
  if (!connection || connection.organizationId !== admin.organizationId) return { ok: false, reason: 'not_found' };
  if (!connection.enabled) return { ok: false, reason: 'connection_disabled' };
  const test = newTestSignIn({ connectionId: connection.id, organizationId: admin.organizationId, accountId: admin.accountId, sessionId: admin.sessionId }, options.now);
  const cookie = signTestSignIn(test, options.secret);
  const back = `/admin/connections/${connection.id}`;
  if (connection.protocol === 'oidc') return { ok: true, cookie, kind: 'redirect', url: `/sso/${connection.id}?returnTo=${encodeURIComponent(back)}` };
  const started = await startSamlLogin(db, { connectionId: connection.id, returnTo: testReturnTo(connection.id, test.nonce), browserBinding: input.browserBinding }, { appUrl: options.appUrl, now: options.now });
  if (!started.ok) return started;
  return started.kind === 'form'
    ? { ok: true, cookie, kind: 'form', html: started.html, browserBinding: started.browserBinding }
    : { ok: true, cookie, kind: 'redirect', url: started.url, browserBinding: started.browserBinding };
}
