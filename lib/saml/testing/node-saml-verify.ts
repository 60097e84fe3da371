import { SAML, SamlStatusError, ValidateInResponseTo, type CacheProvider } from '@node-saml/node-saml';
import type { SamlConfig } from '../config';
import { reject, type SamlRejectionReason } from '../rejection';
import type { SpUrls } from '../sp-metadata';

/** InResponseTo and replay live in Postgres (see handle-acs.ts), never in this process's memory. */
const noCache: CacheProvider = {
  saveAsync: async () => null,
  getAsync: async () => null,
  removeAsync: async () => null,
};

/** node-saml's errors are plain messages; these patterns turn them into reasons. Unknown ones are malformed. */
const errorReasons: [RegExp, SamlRejectionReason][] = [
  [/signature|signed|ID cannot refer|Referenced node|transforms|ref URI/i, 'saml_signature_invalid'],
  [/not yet valid/i, 'saml_not_yet_valid'],
  [/expired/i, 'saml_expired'],
  [/audience/i, 'saml_audience'],
];

function reasonFor(error: unknown): SamlRejectionReason {
  if (error instanceof SamlStatusError) return 'saml_idp_error';
  const message = error instanceof Error ? error.message : String(error);
  return errorReasons.find(([pattern]) => pattern.test(message))?.[1] ?? 'saml_malformed';
}

/**
 * The reference the signature layer (../verify-signature.ts) is checked against on a corpus of
 * signed and tampered responses (verify-signature.test.ts): what Roster used until it verified on
 * its own parsed document. Verifies the response with node-saml against the connection's certificates only (never a key
 * the document carries): the assertion, the whole response, or both must be signed as configured,
 * and the signature must cover the one assertion used. node-saml also checks Conditions times and
 * the audience. Returns the signed assertion's XML: the only source the caller reads claims from.
 */
export async function verifySignedAssertion(xml: string, config: SamlConfig, sp: SpUrls): Promise<string> {
  const saml = new SAML({
    idpCert: config.certificates,
    idpIssuer: config.idpEntityId,
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    wantAssertionsSigned: config.wantAssertionsSigned,
    wantAuthnResponseSigned: config.wantResponseSigned,
    acceptedClockSkewMs: config.clockSkewSeconds * 1000,
    validateInResponseTo: ValidateInResponseTo.never,
    cacheProvider: noCache,
  });
  let assertionXml: string | undefined;
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') });
    assertionXml = profile?.getAssertionXml?.();
  } catch (error) {
    const reason = reasonFor(error);
    reject(reason, `node-saml: ${reason === 'saml_audience' ? 'audience mismatch' : error instanceof Error ? error.message : 'error'}`);
  }
  if (!assertionXml) reject('saml_malformed', 'no signed assertion in the response');
  return assertionXml;
}
