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
} as const;

export type LoginRefusalReason = keyof typeof loginRefusals;

export function isLoginRefusalReason(value: unknown): value is LoginRefusalReason {
  return typeof value === 'string' && Object.hasOwn(loginRefusals, value);
}
