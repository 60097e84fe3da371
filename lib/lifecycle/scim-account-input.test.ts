import { describe, expect, it } from 'vitest';
import type { Account } from '@/db/schema';
import { decideScimLink } from './link-accounts';
import { planScimUpdate, type ScimAccountInput } from './scim-account-input';

const account = (overrides: Partial<Account> = {}): Account =>
  ({
    id: 'a1',
    organizationId: 'o1',
    status: 'active',
    source: 'jit',
    userName: 'alice@example.com',
    email: 'alice@example.com',
    displayName: 'Alice',
    givenName: 'Alice',
    familyName: 'Anders',
    department: 'Engineering',
    title: 'Engineer',
    employeeNumber: null,
    manager: null,
    externalId: null,
    scimManagedAt: null,
    scimOwnedFields: [],
    scimAttributes: {},
    scimActive: null,
    ...overrides,
  }) as Account;

const input = (profile: ScimAccountInput['profile'], extra: Partial<ScimAccountInput> = {}): ScimAccountInput => ({
  profile,
  present: Object.keys(profile) as ScimAccountInput['present'],
  externalId: null,
  active: undefined,
  scimAttributes: {},
  ...extra,
});

describe('planScimUpdate (attribute ownership)', () => {
  it('replace: SCIM owns exactly what it sent; fields it never sent stay as logins set them', () => {
    const plan = planScimUpdate(account(), input({ userName: 'alice@example.com', title: 'Staff Engineer' }), 'replace');
    expect(plan.changes).toEqual({ title: 'Staff Engineer', scimOwnedFields: ['userName', 'title'] });
    expect(plan.before).toEqual({ title: 'Engineer' });
    expect(plan.profileChanged).toEqual(['title']);
  });

  it('replace: a field SCIM owned and now omits is cleared (and released)', () => {
    const owned = account({ scimOwnedFields: ['userName', 'department', 'title'] });
    const plan = planScimUpdate(owned, input({ userName: 'alice@example.com', title: 'Engineer' }), 'replace');
    expect(plan.changes).toMatchObject({ department: null, scimOwnedFields: ['userName', 'title'] });
  });

  it('replace: externalId and active change only when sent (an Okta PUT without active suspends nobody)', () => {
    const plan = planScimUpdate(account({ externalId: 'okta-1', scimActive: true }), input({ userName: 'alice@example.com' }), 'replace');
    expect(plan.changes).not.toHaveProperty('externalId');
    expect(plan.changes).not.toHaveProperty('scimActive');
  });

  it('merge: changed fields become owned, untouched ones do not', () => {
    const current = account({ scimOwnedFields: ['userName'] });
    const plan = planScimUpdate(
      current,
      input({ userName: 'alice@example.com', displayName: 'Alice', givenName: 'Alice', familyName: 'Smith', email: 'alice@example.com', department: 'Engineering', title: 'Engineer' }),
      'merge',
    );
    expect(plan.changes).toEqual({ familyName: 'Smith', scimOwnedFields: ['userName', 'familyName'] });
  });

  it('merge: a field missing from the patched resource was removed', () => {
    const plan = planScimUpdate(account(), input({ userName: 'alice@example.com', displayName: 'Alice', givenName: 'Alice', familyName: 'Anders', email: 'alice@example.com', department: 'Engineering' }), 'merge');
    expect(plan.changes).toMatchObject({ title: null });
  });
});

describe('decideScimLink', () => {
  const candidate = (id: string, userName: string, managed = false) => ({ id, userName, email: null, scimManagedAt: managed ? new Date() : null, status: 'active' });
  it.each([
    ['no candidate: create', [], { kind: 'none' }],
    ['the userName is held by a SCIM-managed account: taken', [candidate('a', 'bob', true)], { kind: 'taken', accountId: 'a' }],
    ['one unmanaged account: adopt it', [candidate('a', 'bob')], { kind: 'link', accountId: 'a' }],
    ['a JIT account by email, a managed one by nothing: adopt', [candidate('a', 'robert'), candidate('b', 'x', true)], { kind: 'link', accountId: 'a' }],
    ['two unmanaged accounts: ambiguous', [candidate('a', 'bob'), candidate('b', 'robert')], { kind: 'ambiguous', candidateIds: ['a', 'b'] }],
  ])('%s', (_name, candidates, expected) => {
    expect(decideScimLink(candidates, 'Bob')).toEqual(expected);
  });
});
