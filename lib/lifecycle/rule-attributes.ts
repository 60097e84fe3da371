import type { Account } from '@/db/schema';
import type { RuleAttributes } from '@/lib/policy/evaluate-rules';

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** What attribute rules see of an account: its profile, extra attributes, and the names of its groups. */
type RuleFields = 'userName' | 'email' | 'displayName' | 'givenName' | 'familyName' | 'department' | 'title' | 'employeeNumber' | 'manager';

export function accountRuleAttributes(account: Pick<Account, RuleFields> & { extraAttributes?: Account['extraAttributes'] }, groups: string[]): RuleAttributes {
  const extra = Object.fromEntries(
    Object.entries(account.extraAttributes ?? {}).map(([k, v]) => [`extra.${k}`, Array.isArray(v) ? v.map(String) : String(v)]),
  );
  return {
    ...extra,
    userName: account.userName,
    email: account.email,
    emailDomain: account.email ? domainOf(account.email) : null,
    displayName: account.displayName,
    givenName: account.givenName,
    familyName: account.familyName,
    department: account.department,
    title: account.title,
    employeeNumber: account.employeeNumber,
    manager: account.manager,
    groups,
  };
}
