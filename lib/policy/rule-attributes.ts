import type { Account } from '@/db/schema';
import { profileFields } from '@/lib/model/account';
import type { RuleAttributes } from './evaluate-rules';

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export type RuleSubject = Pick<Account, (typeof profileFields)[number] | 'extraAttributes' | 'loginGroups' | 'fieldOwners'>;

/**
 * What attribute rules see of an account, pure: its profile fields (lib/model/account.ts), the email
 * domain, its extra attributes as `extra.<name>`, and `groups`: the SCIM groups' names once SCIM owns
 * the account's groups (it has sent its memberships), else the groups its last sign-in carried.
 * Every door and every re-evaluation (sign-in, SCIM write, group change) judges by this one view.
 */
export function accountRuleAttributes(account: RuleSubject, scimGroupNames: string[]): RuleAttributes {
  const attributes: RuleAttributes = {};
  for (const [key, value] of Object.entries(account.extraAttributes ?? {})) attributes[`extra.${key}`] = Array.isArray(value) ? value.map(String) : String(value);
  for (const field of profileFields) attributes[field] = account[field];
  attributes.emailDomain = account.email ? domainOf(account.email) : null;
  attributes.groups = rulesSeeScimGroups(account) ? scimGroupNames : account.loginGroups;
  return attributes;
}

/** Whether the account's `groups` are SCIM's (then rules read its SCIM group memberships). */
export function rulesSeeScimGroups(account: Pick<Account, 'fieldOwners'>): boolean {
  return account.fieldOwners.groups === 'scim';
}
