import type { Account } from '@/db/schema';

/** Account fields that identity sources (login claims, SCIM, admins) write. */
export const profileFields = [
  'userName',
  'email',
  'displayName',
  'givenName',
  'familyName',
  'department',
  'title',
  'employeeNumber',
  'manager',
  'extraAttributes',
] as const;
export type ProfileField = (typeof profileFields)[number];
export type ProfilePatch = Partial<Pick<Account, ProfileField>>;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields of `patch` that differ from `account`, as before/after halves for the audit trail. */
export function diffProfile(account: Account, patch: ProfilePatch) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of profileFields) {
    if (!(field in patch)) continue;
    const next = patch[field];
    if (next === undefined || same(account[field], next)) continue;
    before[field] = account[field];
    after[field] = next;
  }
  return { before, after, changed: Object.keys(after) as ProfileField[] };
}
