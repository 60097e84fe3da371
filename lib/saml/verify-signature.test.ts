import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSamlConnectionConfig } from './idp-metadata';
import type { SamlConfig } from './config';
import { readSignedAssertion } from './read-assertion';
import { SamlRejection } from './rejection';
import { spUrls } from './sp-metadata';
import { makeTestIdp, testKeys } from './testing/fixtures';
import { verifySignedAssertion as nodeSamlVerify } from './testing/node-saml-verify';
import * as tamper from './testing/tamper';
import type { ResponseOptions, TestIdp } from './testing/test-idp';
import { verifySignedAssertion } from './verify-signature';
import { parseXmlStrict } from './xml';

/**
 * The signature layer against node-saml, the library it replaces, on a generated corpus of
 * samlify-signed responses: every way of signing × every signing policy × untouched, round-tripped
 * and tampered (the XSW family, a changed NameID, an impostor's key, a key rollover). Both must
 * accept the same responses with the same signed assertion, and refuse the same ones.
 */
const sp = spUrls('http://localhost:3000', '00000000-0000-4000-8000-00000000c0de');
const signings = ['assertion', 'response', 'both', 'none'] as const;
const policies = [
  { wantAssertionsSigned: true, wantResponseSigned: false },
  { wantAssertionsSigned: false, wantResponseSigned: true },
  { wantAssertionsSigned: true, wantResponseSigned: true },
  { wantAssertionsSigned: false, wantResponseSigned: false },
];
const evil = 'admin@example.com';
const tampers = tamper.signatureTampers(evil);

type Outcome = { ok: true; assertion: unknown; xml: string } | { ok: false; reason: string };
let idp: TestIdp;
let impostorPem: string;
let base: SamlConfig;

beforeAll(async () => {
  idp = await makeTestIdp();
  impostorPem = (await testKeys())[1].certificate;
  base = buildSamlConnectionConfig({ metadataXml: idp.metadataXml() }).samlConfig;
});

const check = (config: SamlConfig) => ({ config, sp, now: new Date() });

async function viaNodeSaml(xml: string, config: SamlConfig): Promise<Outcome> {
  try {
    const signed = parseXmlStrict(await nodeSamlVerify(xml, config, sp)).documentElement;
    return { ok: true, assertion: readSignedAssertion(signed, check(config)), xml: signed.toString() };
  } catch (error) {
    return { ok: false, reason: error instanceof SamlRejection ? error.reason : String(error) };
  }
}

function viaRoster(xml: string, config: SamlConfig): Outcome {
  try {
    const signed = verifySignedAssertion(parseXmlStrict(xml), xml, config);
    return { ok: true, assertion: readSignedAssertion(signed, check(config)), xml: signed.toString() };
  } catch (error) {
    return { ok: false, reason: error instanceof SamlRejection ? error.reason : String(error) };
  }
}

const attributes = () => ({ department: `Dept ${randomBytes(2).toString('hex')}`, groups: ['staff', `g-${randomBytes(3).toString('hex')}`] });

describe('verifySignedAssertion agrees with node-saml', () => {
  it.each(signings)('on %s-signed responses under every policy, untouched and tampered', async (sign) => {
    const rows: string[] = [];
    let accepted = 0;
    for (const [name, change] of Object.entries(tampers)) {
      const options: ResponseOptions = { nameId: `u${randomBytes(4).toString('hex')}@example.com`, inResponseTo: `_${randomBytes(8).toString('hex')}`, attributes: attributes(), sign };
      const signed = (await idp.createResponse(sp, options)).xml;
      let xml: string;
      try {
        xml = change(signed);
      } catch {
        continue; // a wrapping that needs a signature this signing does not make
      }
      for (const policy of policies) {
        for (const certificates of [base.certificates, [impostorPem, ...base.certificates], [impostorPem]]) {
          const config = { ...base, ...policy, certificates };
          const [expected, actual] = [await viaNodeSaml(xml, config), viaRoster(xml, config)];
          if (expected.ok) accepted++;
          const same = expected.ok === actual.ok && (!expected.ok || (actual.ok && expected.xml === actual.xml && JSON.stringify(expected.assertion) === JSON.stringify(actual.assertion)));
          if (!same) rows.push(`${name} ${JSON.stringify(policy)} ${certificates.length} certs: node-saml ${JSON.stringify(expected).slice(0, 120)} / roster ${JSON.stringify(actual).slice(0, 120)}`);
        }
      }
    }
    expect(rows).toEqual([]);
    // The corpus is no good if node-saml refuses it all: untouched responses do pass where signed as asked.
    if (sign !== 'none') expect(accepted).toBeGreaterThan(0);
  });

  it('refuses in the signature layer with the signature reason whenever node-saml refuses a signed response', async () => {
    for (const [name, change] of Object.entries(tampers).filter(([n]) => n.startsWith('XSW') || n.startsWith('ID value twinned') || n === 'NameID changed')) {
      const sign = name === 'XSW-5' ? 'response' : 'assertion';
      const xml = change((await idp.createResponse(sp, { nameId: 'alice@example.com', sign })).xml);
      const config = { ...base, wantAssertionsSigned: sign === 'assertion', wantResponseSigned: sign === 'response' };
      expect([name, viaRoster(xml, config)]).toEqual([name, { ok: false, reason: 'saml_signature_invalid' }]);
    }
  });
});
