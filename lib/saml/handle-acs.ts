import type { Database } from '@/db';
import { finishTestSignIn } from '@/lib/connections/test-sign-in';
import { testNonceOf, type TestSignIn } from '@/lib/connections/test-sign-in-cookie';
import { getConnectionById } from '@/db/queries/connections';
import { markAssertionUsed } from '@/db/queries/saml-replay-cache';
import { consumeSamlRequest, findSamlRequestBinding } from '@/db/queries/saml-requests';
import { safeReturnTo } from '@/lib/http/return-to';
import { loginRefusals, type LoginRefusalReason } from '@/lib/jit/login-refusal';
import { provisionFromLogin, type LoginContext, type LoginSuccess } from '@/lib/jit/provision-user';
import { inTransaction } from '@/lib/lifecycle/context';
import { recordLoginRefusal } from '@/lib/lifecycle/login/record-refusal';
import { hashBrowserBinding, readBrowserBinding } from './browser-binding';
import { readSamlConfig, type SamlConfig } from './config';
import { shedExpiredReplayEntries } from './purge-expired-state';
import type { VerifiedAssertion } from './read-assertion';
import { SamlRejection } from './rejection';
import { spUrls } from './sp-metadata';
import { validateSamlResponse } from './validate-response';

/**
 * `browserBinding`: the value of the browser's binding cookie, if it sent one (browser-binding.ts).
 * `test`: the admin's test sign-in of this connection the browser's test cookie names, if valid.
 */
export type AcsInput = { connectionId: string; samlResponse?: unknown; relayState?: unknown; bodyTooLarge?: boolean; browserBinding?: unknown; test?: TestSignIn | null };
export type AcsResult =
  | { ok: true; login: LoginSuccess; returnTo: string }
  | { ok: false; reason: LoginRefusalReason; message: string }
  /** A test sign-in ended (lib/connections/test-sign-in.ts): nobody signed in; show `location`. */
  | { ok: 'test'; location: string };
type AcsOptions = { appUrl: string; context: LoginContext; now?: Date };
type Refusal = { reason: LoginRefusalReason; detail?: string; subject?: string };

/**
 * The SAML Assertion Consumer Service: validates the posted response for the connection in the
 * URL, checks that the AuthnRequest it answers (InResponseTo) was started by this browser, burns
 * its assertion ID (replay) and that request, then hands the verified (connection, NameID,
 * attributes) to the protocol-neutral JIT pipeline. Every refusal is audited as login.rejected
 * (recordLoginRefusal) in the organization of the connection in the URL, whatever its protocol, or
 * in the deployment's trail when no connection has that ID, and changes nothing else.
 */
export async function handleSamlAcs(db: Database, input: AcsInput, options: AcsOptions): Promise<AcsResult> {
  const connection = await getConnectionById(db, input.connectionId);
  const refuse = async (refusal: Refusal): Promise<AcsResult> => {
    const actor = { type: 'user' as const, id: refusal.subject ?? null, ip: options.context.ip, requestId: options.context.requestId };
    const record = { ...refusal, organizationId: connection?.organizationId ?? null, connectionId: input.connectionId, protocol: 'saml' as const };
    await inTransaction(db, { actor }, async (tx, ctx) => recordLoginRefusal(tx, record, ctx));
    if (input.test) return { ok: 'test', location: (await finishTestSignIn(db, input.test, { failure: refusal }, options.context)).location };
    return { ok: false, reason: refusal.reason, message: loginRefusals[refusal.reason] };
  };

  if (!connection || connection.protocol !== 'saml') return refuse({ reason: 'unknown_connection' });
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

  const binding = readBrowserBinding(input.browserBinding);
  const accepted = await acceptOnce(db, { connectionId: connection.id, config, assertion, relayState: input.relayState, binding, now });
  if ('reason' in accepted) return refuse({ ...accepted, subject: assertion.subject });
  const identity = { connectionId: connection.id, subject: assertion.subject, claims: assertion.claims };
  // An AuthnRequest a test started is only ever answered as a test: never a sign-in.
  const nonce = accepted.fromRequest ? testNonceOf(accepted.returnTo, connection.id) : null;
  if (nonce !== null) {
    const test = input.test?.nonce === nonce ? input.test : null;
    if (!test) return refuse({ reason: 'test_sign_in_invalid', detail: 'no valid test cookie of this test came with the answer', subject: assertion.subject });
    return { ok: 'test', location: (await finishTestSignIn(db, test, { identity }, options.context)).location };
  }
  const login = await provisionFromLogin(db, identity, options.context);
  if (!login.ok) return { ok: false, reason: login.reason, message: login.message };
  return { ok: true, login, returnTo: accepted.returnTo };
}

/**
 * The "exactly once" part, decided by Postgres. An answer to an AuthnRequest must come from the
 * browser that started it (login CSRF); a mismatch writes nothing but the audit event, so the
 * response still works in its own browser. Then the assertion ID must be new (replay cache) and the
 * response must take its outstanding request. Without InResponseTo it is IdP-initiated: no request,
 * so nothing binds it to a browser, which is why that is off unless the connection allows it.
 */
async function acceptOnce(
  db: Database,
  p: { connectionId: string; config: SamlConfig; assertion: VerifiedAssertion; relayState: unknown; binding: string | null; now: Date },
): Promise<{ returnTo: string; fromRequest: boolean } | Refusal> {
  const { connectionId, assertion, now } = p;
  const bindingHash = p.binding ? hashBrowserBinding(p.binding) : null;
  if (assertion.inResponseTo !== null) {
    const pending = await findSamlRequestBinding(db, connectionId, assertion.inResponseTo, now);
    if (pending && pending.browserBindingHash !== bindingHash) {
      const detail = bindingHash ? 'the browser-binding cookie belongs to another sign-in' : 'no browser-binding cookie came with the response';
      return { reason: 'saml_session_mismatch', detail: `${detail}: the AuthnRequest was started by another browser, or the cookie was lost` };
    }
  }
  const fresh = await markAssertionUsed(db, { connectionId, assertionId: assertion.assertionId, expiresAt: assertion.acceptableUntil });
  await shedExpiredReplayEntries(db, now);
  if (!fresh) return { reason: 'saml_replay', detail: 'assertion ID already used' };
  if (assertion.inResponseTo === null) {
    if (!p.config.allowIdpInitiated) return { reason: 'saml_unsolicited', detail: 'IdP-initiated sign-in is turned off' };
    return { returnTo: safeReturnTo(p.relayState), fromRequest: false };
  }
  const request = bindingHash ? await consumeSamlRequest(db, connectionId, assertion.inResponseTo, bindingHash, now) : null;
  if (!request) return { reason: 'saml_in_response_to', detail: 'no outstanding AuthnRequest of this connection and browser has that ID' };
  return { returnTo: safeReturnTo(request.relayState), fromRequest: true };
}
