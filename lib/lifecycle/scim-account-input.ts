import type { Account, NewAccount } from '@/db/schema';

/** Account fields a SCIM User carries (the rest of the resource is kept in `scimAttributes`). */
export const scimProfileFields = ['userName', 'displayName', 'title', 'givenName', 'familyName', 'email', 'department', 'employeeNumber', 'manager'] as const;
export type ScimProfileField = (typeof scimProfileFields)[number];

/** What a SCIM write says about an account, already validated and mapped by lib/scim. */
export type ScimAccountInput = {
  profile: Partial<Record<ScimProfileField, string | null>>;
  /** The profile fields the IdP sent (for attribute ownership). */
  present: ScimProfileField[];
  externalId: string | null;
  /** Absent from the request: leave the status alone (an Okta PUT without `active` suspends nobody). */
  active: boolean | undefined;
  scimAttributes: Record<string, unknown>;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The columns a SCIM write changes, pure. `replace` (PUT, or a POST that adopts an existing account):
 * the IdP sent the whole user, so fields it owned and now omits are cleared and it owns exactly what
 * it sent; `externalId` and `active` change only when sent. `merge` (PATCH, applied to the current
 * resource): fields whose value changed become owned. Ownership decides what logins may overwrite.
 */
export function planScimUpdate(account: Account, input: ScimAccountInput, mode: 'replace' | 'merge') {
  const changes: Partial<NewAccount> = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const set = <K extends keyof NewAccount & keyof Account>(key: K, value: NewAccount[K]) => {
    if (same(account[key], value)) return;
    changes[key] = value;
    before[key] = account[key];
    after[key] = value;
  };
  const touched: ScimProfileField[] = [];
  for (const field of scimProfileFields) {
    const sent = input.present.includes(field);
    // merge: the patched resource is complete, so a field it lacks was removed.
    if (!sent && mode === 'replace' && (field === 'userName' || !account.scimOwnedFields.includes(field))) continue;
    const value = sent ? (input.profile[field] ?? null) : null;
    if (field === 'userName' && !value) continue;
    if (!same(account[field], value)) touched.push(field);
    set(field, value as NewAccount[typeof field]);
  }
  if (input.externalId !== null || mode === 'merge') set('externalId', input.externalId);
  set('scimAttributes', input.scimAttributes);
  if (input.active !== undefined) set('scimActive', input.active);
  const owned = mode === 'replace' ? [...input.present] : [...new Set([...account.scimOwnedFields, ...touched])];
  if (!same([...account.scimOwnedFields].sort(), [...owned].sort())) changes.scimOwnedFields = owned;
  return { changes, before, after, profileChanged: touched };
}
