import { randomBytes } from 'node:crypto';
import { SAML } from '@node-saml/node-saml';
import type { Tx } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import { insertSamlRequest } from '@/db/queries/saml-requests';
import type { LoginRefusalReason } from '@/lib/jit/login-refusal';
import { safeReturnTo } from '@/lib/http/return-to';
import { hashBrowserBinding, newBrowserBinding, readBrowserBinding } from './browser-binding';
import { readSamlConfig } from './config';
import { boundSamlRequests } from './purge-expired-state';
import { spUrls } from './sp-metadata';

/** How long an AuthnRequest may stay unanswered (sign-in at the IdP, MFA included). */
export const SAML_REQUEST_TTL_SECONDS = 15 * 60;

/** `browserBinding` is the value for this browser's binding cookie (browser-binding.ts): set it on the response. */
export type SamlLoginStart =
  | { ok: true; kind: 'redirect'; url: string; requestId: string; browserBinding: string }
  | { ok: true; kind: 'form'; html: string; requestId: string; browserBinding: string }
  | { ok: false; reason: LoginRefusalReason };

/**
 * SP-initiated sign-in: builds the AuthnRequest (HTTP-Redirect, or an auto-posting form when the
 * IdP only takes HTTP-POST) and records its ID, with the page to return to and the hash of the
 * browser's binding value (the one its cookie carries, or a new one), in saml_requests, so the ACS
 * of any instance can match the response's InResponseTo exactly once, from that browser only.
 * The connection's outstanding requests stay bounded (purge-expired-state.ts).
 */
export async function startSamlLogin(
  db: Tx,
  input: { connectionId: string; returnTo?: unknown; browserBinding?: unknown },
  options: { appUrl: string; now?: Date; maxOutstanding?: number },
): Promise<SamlLoginStart> {
  const connection = await getConnectionById(db, input.connectionId);
  if (!connection || connection.protocol !== 'saml') return { ok: false, reason: 'unknown_connection' };
  if (!connection.enabled) return { ok: false, reason: 'connection_disabled' };
  const config = readSamlConfig(connection.samlConfig);
  if (!config) return { ok: false, reason: 'saml_not_configured' };

  const sp = spUrls(options.appUrl, connection.id);
  const requestId = `_${randomBytes(20).toString('hex')}`;
  const now = options.now ?? new Date();
  const browserBinding = readBrowserBinding(input.browserBinding) ?? newBrowserBinding();
  await insertSamlRequest(db, {
    id: requestId,
    organizationId: connection.organizationId,
    connectionId: connection.id,
    relayState: safeReturnTo(input.returnTo),
    browserBindingHash: hashBrowserBinding(browserBinding),
    expiresAt: new Date(now.getTime() + SAML_REQUEST_TTL_SECONDS * 1000),
  });
  await boundSamlRequests(db, connection.id, now, options.maxOutstanding);
  const saml = new SAML({
    idpCert: config.certificates,
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    entryPoint: config.ssoUrl,
    identifierFormat: config.nameIdFormat ?? null,
    disableRequestedAuthnContext: true,
    generateUniqueId: () => requestId,
  });
  if (config.ssoBinding === 'post') {
    return { ok: true, kind: 'form', html: await saml.getAuthorizeFormAsync(''), requestId, browserBinding };
  }
  return { ok: true, kind: 'redirect', url: await saml.getAuthorizeUrlAsync('', undefined, {}), requestId, browserBinding };
}
