import type { Database } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import { markAssertionUsed } from '@/db/queries/saml-replay-cache';
import { consumeSamlRequest } from '@/db/queries/saml-requests';
import { recordEvent } from '@/lib/audit/record-event';
import { loginRefusals, type LoginRefusalReason } from '@/lib/jit/login-refusal';
import { provisionFromLogin, type LoginContext, type LoginSuccess } from '@/lib/jit/provision-user';
import { readSamlConfig, type SamlConfig } from './config';
import type { VerifiedAssertion } from './read-assertion';
import { SamlRejection } from './rejection';
import { safeReturnTo } from '@/lib/http/return-to';
import { spUrls } from './sp-metadata';
import { validateSamlResponse } from './validate-response';

export type AcsInput = { connectionId: string; samlResponse?: unknown; relayState?: unknown; bodyTooLarge?: boolean };
export type AcsResult =
  | { ok: true; login: LoginSuccess; returnTo: string }
  | { ok: false; reason: LoginRefusalReason; message: string };
type AcsOptions = { appUrl: string; context: LoginContext; now?: Date };
type Refusal = { reason: LoginRefusalReason; detail?: string; subject?: string };

/**
 * The SAML Assertion Consumer Service: validates the posted response for the connection in the
 * URL, burns its assertion ID (replay) and the AuthnRequest it answers (InResponseTo), then hands
 * the verified (connection, NameID, attributes) to the protocol-neutral JIT pipeline. Every
 * refusal is audited as login.rejected and changes nothing else.
 */
export async function handleSamlAcs(db: Database, input: AcsInput, options: AcsOptions): Promise<AcsResult> {
  const connection = await getConnectionById(db, input.connectionId);
  const organizationId = connection?.protocol === 'saml' ? connection.organizationId : null;
  const refuse = async (refusal: Refusal): Promise<AcsResult> => {
    await recordEvent(db, {
      organizationId,
      actor: { type: 'user', id: refusal.subject ?? null, ip: options.context.ip, requestId: options.context.requestId },
      action: 'login.rejected',
      target: { type: 'connection', id: input.connectionId },
      data: { reason: refusal.reason, detail: refusal.detail ?? null, connectionId: input.connectionId, protocol: 'saml', subject: refusal.subject ?? null },
    });
    return { ok: false, reason: refusal.reason, message: loginRefusals[refusal.reason] };
  };

  if (!connection || organizationId === null) return refuse({ reason: 'unknown_connection' });
  if (!connection.enabled) return refuse({ reason: 'connection_disabled' });
  const config = readSamlConfig(connection.samlConfig);
  if (!config) return refuse({ reason: 'saml_not_configured', detail: 'saml_config is missing or invalid' });
  if (input.bodyTooLarge) return refuse({ reason: 'saml_too_large', detail: 'the posted form is too large' });

  const now = options.now ?? new Date();
  let assertion: VerifiedAssertion;
  try {
    assertion = await validateSamlResponse(input.samlResponse, { config, sp: spUrls(options.appUrl, connection.id), now });
  } catch (error) {
    if (error instanceof SamlRejection) return refuse({ reason: error.reason, detail: error.detail });
    return refuse({ reason: 'saml_malformed', detail: `unexpected: ${error instanceof Error ? error.message.slice(0, 200) : 'error'}` });
  }

  const accepted = await acceptOnce(db, connection.id, config, assertion, input.relayState, now);
  if ('reason' in accepted) return refuse({ ...accepted, subject: assertion.subject });
  const login = await provisionFromLogin(db, { connectionId: connection.id, subject: assertion.subject, claims: assertion.claims }, options.context);
  if (!login.ok) return { ok: false, reason: login.reason, message: login.message };
  return { ok: true, login, returnTo: accepted.returnTo };
}

/**
 * The "exactly once" part, decided by Postgres: the assertion ID must be new (replay cache), and a
 * response to an AuthnRequest must take that outstanding request; without one, it is IdP-initiated.
 */
async function acceptOnce(
  db: Database,
  connectionId: string,
  config: SamlConfig,
  assertion: VerifiedAssertion,
  relayState: unknown,
  now: Date,
): Promise<{ returnTo: string } | Refusal> {
  const fresh = await markAssertionUsed(db, { connectionId, assertionId: assertion.assertionId, expiresAt: assertion.acceptableUntil });
  if (!fresh) return { reason: 'saml_replay', detail: 'assertion ID already used' };
  if (assertion.inResponseTo === null) {
    if (!config.allowIdpInitiated) return { reason: 'saml_unsolicited', detail: 'IdP-initiated sign-in is turned off' };
    return { returnTo: safeReturnTo(relayState) };
  }
  const request = await consumeSamlRequest(db, connectionId, assertion.inResponseTo, now);
  if (!request) return { reason: 'saml_in_response_to', detail: 'no outstanding AuthnRequest of this connection has that ID' };
  return { returnTo: safeReturnTo(request.relayState) };
}
