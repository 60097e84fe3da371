import type { Account, NewAccount } from '@/db/schema';
import { mayWrite, profileFields, type AccountInput, type FieldOwners, type OwnedField, type WriteMode } from '@/lib/model/account';

/** The columns a write changes, and its audit halves. `ruleInputsChanged`: something attribute rules read changed. */
export type AccountWrite = {
  changes: Partial<NewAccount>;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  changed: string[];
  ruleInputsChanged: boolean;
};

/**
 * Equal as stored: jsonb keeps no key order (it writes an object's keys sorted), so objects compare
 * key by key, not as text — else every write of a JSON column read back from the database (a SCIM
 * PATCH's scimAttributes) looked like a change, and was written and audited with before = after.
 */
const sortedKeys = (_key: string, value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value;
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a ?? null, sortedKeys) === JSON.stringify(b ?? null, sortedKeys);
const sameSet = (a: readonly string[], b: readonly string[]) => same([...a].sort(), [...b].sort());
const sameOwners = (a: FieldOwners, b: FieldOwners) => same(Object.entries(a).sort(), Object.entries(b).sort());

/**
 * What a door's input changes on an existing account, pure (lib/model/account.ts has the rules):
 * a field is written only if it changed and the door may overwrite its owner, and the door then
 * owns it. `replace`: the door owns exactly what it sent; fields it owned and now omits are cleared.
 * The user name is never cleared. `externalId`, `active` and `scimAttributes` change only when sent.
 */
export function planAccountWrite(account: Account, input: AccountInput, mode: WriteMode): AccountWrite {
  const { door } = input;
  const owners: FieldOwners = { ...account.fieldOwners };
  const write: AccountWrite = { changes: {}, before: {}, after: {}, changed: [], ruleInputsChanged: false };
  const set = <K extends keyof NewAccount & keyof Account>(key: K, value: NewAccount[K], audited = true) => {
    if (same(account[key], value)) return false;
    write.changes[key] = value;
    if (audited) {
      write.before[key] = account[key];
      write.after[key] = value;
      write.changed.push(key);
    }
    return true;
  };
  const take = (field: OwnedField) => void (owners[field] = door);

  for (const field of profileFields) {
    const value = input.profile[field];
    if (value === undefined) {
      if (mode === 'replace' && owners[field] === door && field !== 'userName') {
        if (set(field, null)) write.ruleInputsChanged = true;
        delete owners[field];
      }
      continue;
    }
    if ((field === 'userName' && !value) || !mayWrite(door, owners[field])) continue;
    if (set(field, value)) {
      write.ruleInputsChanged = true;
      take(field);
    } else if (mode === 'replace') take(field);
  }
  if (input.extraAttributes && mayWrite(door, owners.extraAttributes)) {
    if (set('extraAttributes', { ...account.extraAttributes, ...input.extraAttributes })) {
      write.ruleInputsChanged = true;
      take('extraAttributes');
    }
  }
  planEndDate(account, input, mode, owners, set);
  if (input.groups !== undefined && !sameSet(account.loginGroups, input.groups)) {
    write.changes.loginGroups = input.groups;
    [write.before.groups, write.after.groups] = [account.loginGroups, input.groups];
    write.changed.push('groups');
    // A sign-in's groups are what rules see, unless SCIM owns this account's groups.
    if (owners.groups !== 'scim') write.ruleInputsChanged = true;
  }
  if (input.externalId !== undefined) set('externalId', input.externalId);
  if (input.scimAttributes !== undefined) set('scimAttributes', input.scimAttributes);
  if (door === 'scim' && input.active !== undefined) set('scimActive', input.active);
  if (!sameOwners(account.fieldOwners, owners)) write.changes.fieldOwners = owners;
  return write;
}

/** The end date, owned like a profile field: written when sent and the door may; cleared by a replace that omits it. */
function planEndDate(account: Account, input: AccountInput, mode: WriteMode, owners: FieldOwners, set: (key: 'endsAt', value: Date | null) => boolean) {
  const { door, endsAt } = input;
  if (endsAt === undefined) {
    if (mode === 'replace' && owners.endsAt === door) {
      set('endsAt', null);
      delete owners.endsAt;
    }
    return;
  }
  if (!mayWrite(door, owners.endsAt)) return;
  if (endsAt === null) {
    set('endsAt', null);
    if (owners.endsAt !== undefined) delete owners.endsAt;
    return;
  }
  if (set('endsAt', endsAt) || mode === 'replace') owners.endsAt = door;
}
