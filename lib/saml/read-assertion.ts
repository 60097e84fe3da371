import type { SamlConfig } from './config';
import { nameIdClaimsFor, readAttributes, type SamlClaims } from './read-attributes';
import { reject } from './rejection';
import { nameIdFormats, type SpUrls } from './sp-metadata';
import { attr, child, children, ns, text } from './xml';

export type VerifiedAssertion = {
  assertionId: string;
  subject: string;
  nameIdFormat: string | null;
  claims: SamlClaims;
  /** From the signed SubjectConfirmationData: the AuthnRequest this answers; null when IdP-initiated. */
  inResponseTo: string | null;
  /** After this the assertion is refused anyway: how long its ID stays in the replay cache. */
  acceptableUntil: Date;
};

type Check = { config: SamlConfig; sp: SpUrls; now: Date };

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const subjectFormats = new Set<string>([nameIdFormats.persistent, nameIdFormats.email, nameIdFormats.unspecified]);

function instant(value: string | null, name: string): number | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value) || Number.isNaN(ms)) reject('saml_malformed', `${name} is not a date`);
  return ms;
}

/** NotBefore/NotOnOrAfter with the configured clock skew, both ways. */
function checkWindow(element: Element, { config, now }: Check, where: string): number | null {
  const skew = config.clockSkewSeconds * 1000;
  const notBefore = instant(attr(element, 'NotBefore'), `${where} NotBefore`);
  const notOnOrAfter = instant(attr(element, 'NotOnOrAfter'), `${where} NotOnOrAfter`);
  if (notBefore !== null && now.getTime() + skew < notBefore) reject('saml_not_yet_valid', `${where} NotBefore is in the future`);
  if (notOnOrAfter !== null && now.getTime() - skew >= notOnOrAfter) reject('saml_expired', `${where} NotOnOrAfter has passed`);
  return notOnOrAfter;
}

/**
 * Reads the assertion that the signature covers (parsed from the signed bytes, never the posted
 * document: verify-signature.ts) and checks it: issuer, Conditions (time window, audience), the
 * bearer SubjectConfirmation (recipient, time window), and the NameID. The caller still checks InResponseTo and replay against Postgres.
 */
export function readSignedAssertion(assertion: Element, check: Check): VerifiedAssertion {
  if (assertion.namespaceURI !== ns.saml || assertion.localName !== 'Assertion') reject('saml_malformed', 'signed content is not an Assertion');
  const assertionId = attr(assertion, 'ID');
  if (!assertionId || assertionId.length > 256) reject('saml_malformed', 'the assertion has no usable ID');
  if (text(child(assertion, ns.saml, 'Issuer')) !== check.config.idpEntityId) reject('saml_issuer', 'assertion Issuer is not the connection’s IdP');

  const conditions = children(assertion, ns.saml, 'Conditions');
  if (conditions.length !== 1) reject('saml_malformed', `expected one Conditions element, found ${conditions.length}`);
  const conditionsEnd = checkWindow(conditions[0]!, check, 'Conditions');
  checkAudience(conditions[0]!, check.sp.entityId);

  const subject = child(assertion, ns.saml, 'Subject');
  if (!subject) reject('saml_subject', 'the assertion has no Subject');
  const confirmation = bearerConfirmation(subject, check);
  const { value, format } = readNameId(subject);
  const skew = check.config.clockSkewSeconds * 1000;
  const ends = [conditionsEnd, confirmation.notOnOrAfter].filter((t): t is number => t !== null);
  return {
    assertionId,
    subject: value,
    nameIdFormat: format,
    claims: { ...readAttributes(assertion), ...nameIdClaimsFor(value, format) },
    inResponseTo: confirmation.inResponseTo,
    acceptableUntil: new Date(Math.min(...ends) + skew),
  };
}

/** Every AudienceRestriction must name this SP (saml-core 2.5.1.4). */
function checkAudience(conditions: Element, entityId: string) {
  const restrictions = children(conditions, ns.saml, 'AudienceRestriction');
  if (restrictions.length === 0) reject('saml_audience', 'no AudienceRestriction');
  for (const restriction of restrictions) {
    if (!children(restriction, ns.saml, 'Audience').some((a) => text(a) === entityId)) reject('saml_audience', 'the audience is not this SP');
  }
}

/**
 * The bearer SubjectConfirmation addressed to this ACS and valid now (saml-profiles 4.1.4.2).
 * NotOnOrAfter is required there; InResponseTo is returned for the caller to match.
 */
function bearerConfirmation(subject: Element, check: Check) {
  const data = children(subject, ns.saml, 'SubjectConfirmation')
    .filter((c) => attr(c, 'Method') === BEARER)
    .map((c) => child(c, ns.saml, 'SubjectConfirmationData'))
    .filter((d): d is Element => d !== null);
  if (data.length === 0) reject('saml_malformed', 'no bearer SubjectConfirmationData');
  const addressed = data.filter((d) => attr(d, 'Recipient') === check.sp.acsUrl);
  if (addressed.length === 0) reject('saml_recipient', 'SubjectConfirmationData Recipient is not this ACS');
  const chosen = addressed[0]!;
  const notOnOrAfter = checkWindow(chosen, check, 'SubjectConfirmationData');
  if (notOnOrAfter === null) reject('saml_malformed', 'SubjectConfirmationData has no NotOnOrAfter');
  return { notOnOrAfter, inResponseTo: attr(chosen, 'InResponseTo') || null };
}

function readNameId(subject: Element) {
  const nameIds = children(subject, ns.saml, 'NameID');
  if (nameIds.length !== 1) reject('saml_subject', nameIds.length ? 'several NameIDs' : 'no NameID (encrypted or base IDs are not supported)');
  const format = attr(nameIds[0]!, 'Format');
  if (format !== null && !subjectFormats.has(format)) reject('saml_subject', `NameID format ${format.slice(0, 100)} is not a stable identifier`);
  const raw = text(nameIds[0]!);
  if (!raw || raw.length > 512) reject('saml_subject', 'the NameID is empty or too long');
  return { value: format === nameIdFormats.email ? raw.toLowerCase() : raw, format };
}
