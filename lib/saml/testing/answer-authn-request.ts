import { parseXmlStrict, escapeXml } from '../xml';
import type { ResponseOptions, TestIdp } from './test-idp';

/**
 * The IdP side of an SP-initiated sign-in in one call, for a demo or e2e IdP server mounting
 * `GET /saml/sso`: reads Roster's AuthnRequest from the redirect query, signs a response for the
 * signed-in user to the SP's ACS (taken from the SP's metadata, which Roster serves at its entity
 * ID), and returns the auto-posting page the browser carries back to Roster.
 */
export async function answerAuthnRequest(
  idp: TestIdp,
  input: { redirectUrl: string; spMetadataXml: string; user: Omit<ResponseOptions, 'inResponseTo'> },
): Promise<{ acsUrl: string; html: string }> {
  const request = await idp.readAuthnRequest(input.redirectUrl, input.spMetadataXml);
  const acsUrl = acsFromMetadata(input.spMetadataXml);
  const { samlResponse } = await idp.createResponse({ entityId: request.issuer, acsUrl }, { ...input.user, inResponseTo: request.id });
  return { acsUrl, html: autoPostForm(acsUrl, { SAMLResponse: samlResponse, ...(request.relayState && { RelayState: request.relayState }) }) };
}

/** The AssertionConsumerService Location of an SP's metadata (Roster's: HTTP-POST, one per connection). */
export function acsFromMetadata(xml: string): string {
  const doc = parseXmlStrict(xml, { allowComments: true });
  const acs = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:metadata', 'AssertionConsumerService')[0];
  const location = acs?.getAttribute('Location');
  if (!location) throw new Error('the SP metadata has no AssertionConsumerService');
  return location;
}

/** The HTTP-POST binding's page: a form that submits itself (and a button without JavaScript). */
export function autoPostForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeXml(name)}" value="${escapeXml(value)}">`)
    .join('');
  return `<!DOCTYPE html><html><body onload="document.forms[0].submit()"><form method="post" action="${escapeXml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
}
