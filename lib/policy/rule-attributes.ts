import type { Account } from '@/db/schema';
import { profileFields } from '@/lib/model/account';
import type { RuleAttributes } from './evaluate-rules';

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();
/** An extra attribute's value as rules read it: text, numbers and booleans as text; anything else (null, objects) is absent. */
const scalarText = (value: unknown): string | null => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null);

export type RuleSubject = Pick<Account, (typeof profileFields)[number] | 'extraAttributes' | 'loginGroups' | 'fieldOwners'>;

/**
 * What attribute rules see of an account, pure: its profile fields (lib/model/account.ts), the email
 * domain, its extra attributes as `extra.<name>` (text, numbers and booleans; a list: any element), and `groups`: the SCIM groups' names once SCIM owns
 * the account's groups (it has sent its memberships), else the groups its last sign-in carried.
 * Every door and every re-evaluation (sign-in, SCIM write, group change) judges by this one view.
 */
export function accountRuleAttributes(account: RuleSubject, scimGroupNames: string[]): RuleAttributes {
  const attributes: RuleAttributes = {};
  for (const [key, value] of Object.entries(account.extraAttributes ?? {})) {
    attributes[`extra.${key}`] = Array.isArray(value) ? value.map(scalarText).filter((v): v is string => v !== null) : scalarText(value);
  }
  for (const field of profileFields) attributes[field] = account[field];
  attributes.emailDomain = account.email ? domainOf(account.email) : null;
  attributes.groups = rulesSeeScimGroups(account) ? scimGroupNames : account.loginGroups;
  return attributes;
}

/** Whether the account's `groups` are SCIM's (then rules read its SCIM group memberships). */
export function rulesSeeScimGroups(account: Pick<Account, 'fieldOwners'>): boolean {
  return account.fieldOwners.groups === 'scim';
}
