import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { insertSamlRequest } from '@/db/queries/saml-requests';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { hashBrowserBinding } from './browser-binding';
import { readSamlConfig, type SamlConfigInput } from './config';
import type { AcsResult } from './handle-acs';
import type { SamlRejectionReason } from './rejection';
import type { SpUrls } from './sp-metadata';
import { accountCount, makeSamlConnection, makeTestIdp, postToAcs, rejectionReasons, startLogin, TEST_BROWSER, testKeys } from './testing/fixtures';
import * as tamper from './testing/tamper';
import type { ResponseOptions, TestIdp } from './testing/test-idp';
import { verifySignedAssertion as nodeSamlVerify } from './testing/node-saml-verify';
import { verifySignedAssertion } from './verify-signature';
import { parseXmlStrict } from './xml';

const db = testDb();
afterAll(closeTestDb);

const alice = 'alice@example.com';
const evil = 'admin@example.com';
const minutes = (n: number) => new Date(Date.now() + n * 60_000);
const responseSigned = { wantAssertionsSigned: false, wantResponseSigned: true } as const;

type Ctx = { idp: TestIdp; sp: SpUrls; requestId: string };
type Attack = {
  settings?: Partial<SamlConfigInput>;
  response: (ctx: Ctx) => Promise<string>;
  reason: SamlRejectionReason;
};

/** A response for alice answering the outstanding request, signed as the options say. */
const signed = (ctx: Ctx, options: Partial<ResponseOptions> = {}) =>
  ctx.idp.createResponse(ctx.sp, { nameId: alice, inResponseTo: ctx.requestId, ...options });
const tampered = (change: (xml: string) => string, options: Partial<ResponseOptions> = {}) => async (ctx: Ctx) =>
  tamper.toBase64(change((await signed(ctx, options)).xml));

const attacks: Record<string, Attack> = {
  'an unsigned response': { response: async (c) => (await signed(c, { sign: 'none' })).samlResponse, reason: 'saml_signature_invalid' },
  'a response signed by another key': {
    response: async (c) => (await signed(c, { signWith: (await testKeys())[1] })).samlResponse,
    reason: 'saml_signature_invalid',
  },
  'a SHA-1 signature': { response: async (c) => (await signed(c, { signatureAlgorithm: 'sha1' })).samlResponse, reason: 'saml_weak_algorithm' },
  'a NameID changed after signing': { response: tampered((x) => tamper.alterSignedNameId(x, evil)), reason: 'saml_signature_invalid' },
  'XSW-1: evil assertion beside the signed one': { response: tampered((x) => tamper.xswEvilSiblingFirst(x, evil)), reason: 'saml_signature_invalid' },
  'XSW-2: signed assertion inside the evil one': { response: tampered((x) => tamper.xswSignedInsideEvil(x, evil)), reason: 'saml_signature_invalid' },
  'XSW-3: same ID, original in ds:Object': { response: tampered((x) => tamper.xswSameIdInSignatureObject(x, evil)), reason: 'saml_signature_invalid' },
  'XSW-4: signed assertion in Extensions': { response: tampered((x) => tamper.xswSignedInExtensions(x, evil)), reason: 'saml_signature_invalid' },
  'XSW-5: signed Response wrapped in an evil one': {
    settings: responseSigned,
    response: tampered((x) => tamper.xswWrappedSignedResponse(x, evil), { sign: 'response' }),
    reason: 'saml_signature_invalid',
  },
  'a comment injected into the NameID': {
    response: tampered((x) => tamper.injectCommentInNameId(x, 'bob@example.com'), { nameId: 'bob@example.com.evil.test' }),
    reason: 'saml_malformed',
  },
  'an expired assertion': { response: async (c) => (await signed(c, { issueInstant: minutes(-15), notOnOrAfter: minutes(-10) })).samlResponse, reason: 'saml_expired' },
  'an assertion not yet valid': {
    response: async (c) => (await signed(c, { issueInstant: minutes(10), notBefore: minutes(10), notOnOrAfter: minutes(15) })).samlResponse,
    reason: 'saml_not_yet_valid',
  },
  'a wrong audience': { response: async (c) => (await signed(c, { audience: 'https://other-app.test/saml' })).samlResponse, reason: 'saml_audience' },
  'a wrong recipient': { response: async (c) => (await signed(c, { recipient: 'https://other-app.test/acs' })).samlResponse, reason: 'saml_recipient' },
  'a wrong Destination': { response: async (c) => (await signed(c, { destination: 'https://other-app.test/acs' })).samlResponse, reason: 'saml_recipient' },
  'an unknown issuer': { response: async (c) => (await signed(c, { issuer: 'https://evil-idp.test' })).samlResponse, reason: 'saml_issuer' },
  'an InResponseTo never issued': { response: async (c) => (await signed(c, { inResponseTo: `_${randomBytes(20).toString('hex')}` })).samlResponse, reason: 'saml_in_response_to' },
  'a DTD with an external entity (XXE)': { response: tampered(tamper.withExternalEntity), reason: 'saml_malformed' },
  'an oversized document': {
    response: async (c) => (await signed(c, { attributes: { blob: 'x'.repeat(200 * 1024) } })).samlResponse,
    reason: 'saml_too_large',
  },
  'a transient NameID': {
    response: async (c) => (await signed(c, { nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' })).samlResponse,
    reason: 'saml_subject',
  },
  'an IdP error status': {
    response: async (c) => (await signed(c, { statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder', sign: 'none' })).samlResponse,
    reason: 'saml_idp_error',
  },
  'garbage instead of base64 XML': { response: async () => '<script>alert(1)</script>', reason: 'saml_malformed' },
};

async function expectRefusedAndNothingCreated(organizationId: string, result: AcsResult, reason: SamlRejectionReason) {
  expect(result).toMatchObject({ ok: false, reason });
  if (!result.ok) expect(result.message).not.toMatch(/<|stack|Error/);
  expect(await accountCount(db, organizationId)).toBe(0);
  expect(await rejectionReasons(db, organizationId)).toEqual([reason]);
}

describe('SAML ACS: attacks', () => {
  it.each(Object.entries(attacks))('refuses %s and creates nothing', async (_name, attack) => {
    const idp = await makeTestIdp();
    const { org, connection, sp, spMetadata } = await makeSamlConnection(db, idp, attack.settings);
    const { id: requestId } = await startLogin(db, idp, connection.id, spMetadata);
    const result = await postToAcs(db, connection.id, await attack.response({ idp, sp, requestId }));
    await expectRefusedAndNothingCreated(org.id, result, attack.reason);
  });

  it.each([
    ['assertion', {}],
    ['response', responseSigned],
  ] as const)('accepts the untampered round trip of a %s-signed response (the control for the tampering above)', async (sign, settings) => {
    const idp = await makeTestIdp();
    const { connection, sp, spMetadata } = await makeSamlConnection(db, idp, settings);
    const { id: requestId } = await startLogin(db, idp, connection.id, spMetadata);
    const response = await tampered(tamper.roundTrip, { sign })({ idp, sp, requestId });
    expect(await postToAcs(db, connection.id, response)).toMatchObject({ ok: true });
  });

  it('refuses a replayed assertion: the first post signs in, the second creates nothing more', async () => {
    const idp = await makeTestIdp();
    const { org, connection, sp, spMetadata } = await makeSamlConnection(db, idp);
    const { id: requestId } = await startLogin(db, idp, connection.id, spMetadata);
    const { samlResponse } = await signed({ idp, sp, requestId });
    expect(await postToAcs(db, connection.id, samlResponse)).toMatchObject({ ok: true });
    expect(await postToAcs(db, connection.id, samlResponse)).toMatchObject({ ok: false, reason: 'saml_replay' });
    expect(await accountCount(db, org.id)).toBe(1);
    expect(await rejectionReasons(db, org.id)).toEqual(['saml_replay']);
  });

  it('refuses an answer to another connection’s request, or to an expired one', async () => {
    const idp = await makeTestIdp();
    const a = await makeSamlConnection(db, idp);
    const b = await makeSamlConnection(db, idp);
    const { id: requestOfB } = await startLogin(db, idp, b.connection.id, b.spMetadata);
    const crossed = await postToAcs(db, a.connection.id, (await signed({ idp, sp: a.sp, requestId: requestOfB })).samlResponse);
    await expectRefusedAndNothingCreated(a.org.id, crossed, 'saml_in_response_to');

    const expiredId = `_${randomBytes(20).toString('hex')}`;
    const expired = { id: expiredId, organizationId: b.org.id, connectionId: b.connection.id, relayState: '/me', expiresAt: minutes(-1) };
    await insertSamlRequest(db, { ...expired, browserBindingHash: hashBrowserBinding(TEST_BROWSER) });
    const late = await postToAcs(db, b.connection.id, (await signed({ idp, sp: b.sp, requestId: expiredId })).samlResponse);
    await expectRefusedAndNothingCreated(b.org.id, late, 'saml_in_response_to');
  });

  it('refuses a posted form over the size limit before reading it', async () => {
    const idp = await makeTestIdp();
    const { org, connection } = await makeSamlConnection(db, idp);
    const { handleSamlAcs } = await import('./handle-acs');
    const result = await handleSamlAcs(
      db,
      { connectionId: connection.id, samlResponse: undefined, relayState: undefined, bodyTooLarge: true },
      { appUrl: 'http://localhost:3000', context: { sessionMaxAgeSeconds: 60 } },
    );
    await expectRefusedAndNothingCreated(org.id, result, 'saml_too_large');
  });

  it.each([
    ['XSW-1', tamper.xswEvilSiblingFirst, {}],
    ['XSW-2', tamper.xswSignedInsideEvil, {}],
    ['XSW-3', tamper.xswSameIdInSignatureObject, {}],
    ['XSW-4', tamper.xswSignedInExtensions, {}],
    ['XSW-5', tamper.xswWrappedSignedResponse, responseSigned],
  ] as const)('refuses %s in the signature layer too, without the structural prechecks (defence in depth)', async (_name, wrap, settings) => {
    const idp = await makeTestIdp();
    const { connection, sp } = await makeSamlConnection(db, idp, settings);
    const { xml } = await idp.createResponse(sp, { nameId: alice, sign: 'wantResponseSigned' in settings ? 'response' : 'assertion' });
    const wrapped = wrap(xml, evil);
    const config = readSamlConfig(connection.samlConfig)!;
    expect(() => verifySignedAssertion(parseXmlStrict(wrapped), wrapped, config)).toThrow(expect.objectContaining({ reason: 'saml_signature_invalid' }));
    // and node-saml, which the signature layer is checked against (verify-signature.test.ts), refuses it too
    await expect(nodeSamlVerify(wrapped, config, sp)).rejects.toMatchObject({ reason: 'saml_signature_invalid' });
  });
});
