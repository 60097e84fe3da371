/** Why a sign-in was refused: the code is audited, the message is what the person sees. */
export const loginRefusals = {
  unknown_connection: 'This sign-in link does not match any identity provider connection.',
  connection_disabled: 'Sign-in through this identity provider is turned off. Contact your administrator.',
  missing_claim: 'Your identity provider did not send all the information Roster needs to sign you in.',
  email_unverified: 'Your identity provider says your email address is not verified.',
  domain_not_allowed: 'Your email domain is not allowed to sign in through this identity provider.',
  jit_disabled: 'You do not have an account yet, and accounts are not created automatically for this organization. Ask your administrator for access.',
  account_conflict: 'An account with your username already exists in this organization and is not linked to this identity provider. Your administrator has to resolve this.',
  account_suspended: 'Your account is suspended. Contact your administrator to regain access.',
  account_deprovisioned: 'Your account has been removed from this organization.',
  account_pending_approval: 'Your account is waiting for an administrator to approve it.',
  protocol_error: 'The identity provider’s response could not be accepted.',
  oidc_error: 'Your identity provider did not sign you in: the sign-in was cancelled or refused there. Please try again, or contact your administrator.',
  saml_not_configured: 'Single sign-on through this identity provider is not fully set up yet. Contact your administrator.',
  saml_too_large: 'The sign-in response from your identity provider was too large to accept.',
  saml_malformed: 'The sign-in response from your identity provider could not be read.',
  saml_signature_invalid: 'The sign-in response was not signed by your organization’s identity provider, so it was not accepted.',
  saml_weak_algorithm: 'Your identity provider signed the sign-in response with an outdated algorithm (SHA-1). Your administrator has to switch it to SHA-256.',
  saml_issuer: 'The sign-in response came from an identity provider this connection does not trust.',
  saml_audience: 'The sign-in response was meant for a different application.',
  saml_recipient: 'The sign-in response was addressed to a different sign-in endpoint.',
  saml_expired: 'The sign-in response has expired. Please sign in again.',
  saml_not_yet_valid: 'The sign-in response is not valid yet; the clocks of Roster and your identity provider may disagree. Please try again in a minute.',
  saml_in_response_to: 'This sign-in response does not belong to a sign-in started here, or that sign-in took too long. Please start again.',
  saml_unsolicited: 'Sign-in started from the identity provider’s portal is turned off for this connection. Start from Roster’s sign-in page instead.',
  saml_session_mismatch:
    'This sign-in response does not belong to a sign-in started in this browser, so it was not accepted. If you did start one, your browser may be blocking cookies for Roster: please start again from Roster’s sign-in page.',
  saml_replay: 'This sign-in response has already been used. Please sign in again.',
  saml_subject: 'Your identity provider did not send a stable user identifier (NameID), so you cannot be signed in.',
  saml_idp_error: 'Your identity provider could not sign you in.',
  unavailable: 'Sign-in is unavailable for a moment. Please try again in a minute.',
  test_sign_in_invalid: 'This test sign-in has expired, or was not started by a signed-in administrator in this browser, so nothing was done. Start it again from the connection’s page.',
} as const;

export type LoginRefusalReason = keyof typeof loginRefusals;

export function isLoginRefusalReason(value: unknown): value is LoginRefusalReason {
  return typeof value === 'string' && Object.hasOwn(loginRefusals, value);
}
