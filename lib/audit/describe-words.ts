import type { ActorType } from '@/db/schema';
import { isLoginRefusalReason, type LoginRefusalReason } from '@/lib/jit/login-refusal';

/**
 * The words describe.ts builds sentences from: names looked up with readable fallbacks, actors,
 * dates, reasons. Pure.
 */

/** Display names by id; any may be missing (then a readable fallback is used). */
type Lookup = ReadonlyMap<string, string> | Readonly<Record<string, string>>;
export type NameBook = {
  accounts?: Lookup;
  connections?: Lookup;
  groups?: Lookup;
  scimTokens?: Lookup;
  /** Role names by role id. */
  roles?: Lookup;
  /** Attribute rule names by rule id (the source of birthright grants). */
  rules?: Lookup;
};

export type Data = Record<string, unknown>;

export const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
export const shortId = (id: string) => (id.length > 8 ? id.slice(0, 8) : id);
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
export { count };

function look(lookup: Lookup | undefined, id: string | null): string | null {
  if (!lookup || !id) return null;
  const found = lookup instanceof Map ? lookup.get(id) : (lookup as Readonly<Record<string, string>>)[id];
  return text(found);
}

/** A thing named by id: its name, else `<kind> <short id>`, else `a(n) <kind>`. */
function named(lookup: Lookup | undefined, id: string | null, kind: string, article = 'a'): string {
  return look(lookup, id) ?? (id ? `${kind} ${shortId(id)}` : `${article} ${kind}`);
}

export const accountName = (names: NameBook, id: string | null) => named(names.accounts, id, 'account', 'an');
export const connectionName = (names: NameBook, id: string | null) => named(names.connections, id, 'connection');
export const tokenName = (names: NameBook, id: string | null) => look(names.scimTokens, id);
/** A group by id, or by the name the event recorded. */
export const groupName = (names: NameBook, id: string | null, recorded?: unknown) => look(names.groups, id) ?? text(recorded) ?? named(undefined, id, 'group');
export const ruleName = (names: NameBook, id: string | null) => named(names.rules, id, 'rule');
/** A role by id, else by the key the event recorded. */
export const roleName = (names: NameBook, id: unknown, key?: unknown) => look(names.roles, text(id)) ?? text(key) ?? 'a role';

/** Who acted: an admin's or person's name, SCIM with its token's name, the CLI's user, a job. */
export function actorName(names: NameBook, type: ActorType, id: string | null): string {
  switch (type) {
    case 'admin':
      return look(names.accounts, id) ?? (id ? `administrator ${shortId(id)}` : 'an administrator');
    case 'user':
      return look(names.accounts, id) ?? 'the person signing in';
    case 'scim': {
      const token = tokenName(names, id);
      return token ? `SCIM (${token})` : 'SCIM';
    }
    case 'cli':
      return id ? `${id} (CLI)` : 'the CLI';
    case 'system':
      return id ? `Roster (${id})` : 'Roster';
    case 'idp':
      return 'the identity provider';
  }
}

/** "by Dana Admin", or "at sign-in" when the person signing in is the actor. */
export const by = (names: NameBook, type: ActorType, id: string | null) => (type === 'user' ? 'at sign-in' : `by ${actorName(names, type, id)}`);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Jan 2027" (UTC), or null for no date or an unreadable one. */
export function day(value: unknown): string | null {
  const raw = text(value);
  const date = raw ? new Date(raw) : null;
  if (!date || Number.isNaN(date.getTime())) return null;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** Reasons that only restate the door (SCIM's own verbs) add nothing to "by SCIM (…)". */
const SILENT_REASONS = new Set(['scim: active=false', 'scim: active=true', 'scim: DELETE']);
/** ": <reason>", or nothing. */
export const because = (reason: unknown) => {
  const r = text(reason);
  return r && !SILENT_REASONS.has(r) ? `: ${r}` : '';
};

/** Why a sign-in was refused, as the end of "A sign-in … was refused: …". */
const refusalWords: Record<LoginRefusalReason, string> = {
  unknown_connection: 'no such identity provider connection',
  connection_disabled: 'the connection is turned off',
  missing_claim: 'the identity provider did not send a required attribute',
  email_unverified: 'the email address is not verified',
  domain_not_allowed: 'the email domain is not allowed',
  jit_disabled: 'there is no account and accounts are not created at sign-in',
  account_conflict: 'the user name belongs to another account',
  account_suspended: 'the account is suspended',
  account_deprovisioned: 'the account is deprovisioned',
  account_pending_approval: 'the account is waiting for approval',
  protocol_error: 'the identity provider’s response could not be accepted',
  oidc_error: 'the identity provider cancelled or refused it',
  saml_not_configured: 'SAML is not fully set up for the connection',
  saml_too_large: 'the SAML response was too large',
  saml_malformed: 'the SAML response could not be read',
  saml_signature_invalid: 'the SAML signature is not valid',
  saml_weak_algorithm: 'the SAML response was signed with SHA-1',
  saml_issuer: 'the SAML response came from an untrusted issuer',
  saml_audience: 'the SAML response was meant for another application',
  saml_recipient: 'the SAML response was addressed to another endpoint',
  saml_expired: 'the SAML response had expired',
  saml_not_yet_valid: 'the SAML response was not valid yet',
  saml_in_response_to: 'the SAML response answered no sign-in started here',
  saml_unsolicited: 'IdP-initiated sign-in is turned off',
  saml_session_mismatch: 'the SAML response belongs to a sign-in started in another browser',
  saml_replay: 'the SAML response had already been used',
  saml_subject: 'the SAML response carried no stable user identifier',
  saml_idp_error: 'the identity provider could not sign the person in',
  unavailable: 'Roster was unavailable',
  test_sign_in_invalid: 'it was a test sign-in no live administrator session started',
};

export function refusalReason(reason: unknown): string {
  const r = text(reason);
  if (!r) return 'for an unknown reason';
  return isLoginRefusalReason(r) ? refusalWords[r] : r.replace(/_/g, ' ');
}

export const capitalize = (sentence: string) => sentence.charAt(0).toUpperCase() + sentence.slice(1);
