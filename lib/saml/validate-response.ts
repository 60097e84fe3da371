import type { SamlConfig } from './config';
import { precheckResponse } from './precheck-response';
import { readSignedAssertion, type VerifiedAssertion } from './read-assertion';
import { reject } from './rejection';
import type { SpUrls } from './sp-metadata';
import { verifySignedAssertion } from './verify-signature';
import { attr, child, ns, text } from './xml';

/**
 * Validates a posted SAMLResponse for one connection without touching the database:
 * prechecks (size, DTD, shape, algorithms) → signature (xml-crypto, on the prechecked document) → the signed assertion's
 * issuer, audience, recipient and time windows → the Response's own Destination, Issuer and
 * InResponseTo, which must agree with the signed assertion. Throws SamlRejection.
 */
export async function validateSamlResponse(
  samlResponse: unknown,
  options: { config: SamlConfig; sp: SpUrls; now?: Date },
): Promise<VerifiedAssertion> {
  const { config, sp } = options;
  const { xml, response } = precheckResponse(samlResponse, config);
  const signed = verifySignedAssertion(response.ownerDocument, xml, config);
  const assertion = readSignedAssertion(signed, { config, sp, now: options.now ?? new Date() });

  const destination = attr(response, 'Destination');
  if (destination !== null && destination !== sp.acsUrl) reject('saml_recipient', 'Response Destination is not this ACS');
  const issuer = child(response, ns.saml, 'Issuer');
  if (issuer && text(issuer) !== config.idpEntityId) reject('saml_issuer', 'Response Issuer is not the connection’s IdP');
  const inResponseTo = attr(response, 'InResponseTo') || null;
  if (inResponseTo !== null && inResponseTo !== assertion.inResponseTo) {
    reject('saml_in_response_to', 'Response InResponseTo differs from the signed assertion’s');
  }
  return assertion;
}
