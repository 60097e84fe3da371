import { describe, expect, it } from 'vitest';
import type { Account } from '@/db/schema';
import type { AccountInput } from '@/lib/model/account';
import { decideScimLink } from '../identity/find-person';
import { planAccountWrite } from './plan-write';

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
    extraAttributes: {},
    externalId: null,
    scimManagedAt: null,
    fieldOwners: {},
    loginGroups: [],
    scimAttributes: {},
    scimActive: null,
    ...overrides,
  }) as Account;
const scim = (profile: AccountInput['profile'], extra: Partial<AccountInput> = {}): AccountInput => ({ door: 'scim', profile, scimAttributes: {}, ...extra });

describe('planAccountWrite (attribute ownership)', () => {
  it('a JSON column read back with its keys in another order (jsonb sorts them) is no change; a changed value or array order is', () => {
    const stored = account({ source: 'scim', scimManagedAt: new Date(0), scimAttributes: { emails: [{ type: 'work', value: 'a@example.com', primary: true }], locale: 'en' } });
    const sent = { locale: 'en', emails: [{ value: 'a@example.com', type: 'work', primary: true }] };
    const plan = planAccountWrite(stored, scim({}, { scimAttributes: sent }), 'merge');
    expect(plan.changes).toEqual({});
    expect(plan.changed).toEqual([]);
    const changed = planAccountWrite(stored, scim({}, { scimAttributes: { ...sent, emails: [{ value: 'a@example.com', type: 'home', primary: true }] } }), 'merge');
    expect(changed.changed).toEqual(['scimAttributes']);
    const reordered = planAccountWrite(account({ scimAttributes: { x: [1, 2] } }), scim({}, { scimAttributes: { x: [2, 1] } }), 'merge');
    expect(reordered.changed).toEqual(['scimAttributes']);
  });
  it('replace: SCIM owns exactly what it sent; fields it never sent stay as logins set them', () => {
    const plan = planAccountWrite(account(), scim({ userName: 'alice@example.com', title: 'Staff Engineer' }), 'replace');
    expect(plan.changes).toEqual({ title: 'Staff Engineer', fieldOwners: { userName: 'scim', title: 'scim' } });
    expect(plan.before).toEqual({ title: 'Engineer' });
    expect(plan.changed).toEqual(['title']);
    expect(plan.ruleInputsChanged).toBe(true);
  });

  it('replace: a field SCIM owned and now omits is cleared (and released)', () => {
    const owned = account({ fieldOwners: { userName: 'scim', department: 'scim', title: 'scim' } });
    const plan = planAccountWrite(owned, scim({ userName: 'alice@example.com', title: 'Engineer' }), 'replace');
    expect(plan.changes).toMatchObject({ department: null, fieldOwners: { userName: 'scim', title: 'scim' } });
  });

  it('replace: externalId and active change only when sent (an Okta PUT without active suspends nobody)', () => {
    const plan = planAccountWrite(account({ externalId: 'okta-1', scimActive: true }), scim({ userName: 'alice@example.com' }), 'replace');
    expect(plan.changes).not.toHaveProperty('externalId');
    expect(plan.changes).not.toHaveProperty('scimActive');
  });

  it('merge: changed fields become owned, untouched ones do not', () => {
    const current = account({ fieldOwners: { userName: 'scim' } });
    const plan = planAccountWrite(
      current,
      scim({ userName: 'alice@example.com', displayName: 'Alice', givenName: 'Alice', familyName: 'Smith', email: 'alice@example.com', department: 'Engineering', title: 'Engineer' }),
      'merge',
    );
    expect(plan.changes).toEqual({ familyName: 'Smith', fieldOwners: { userName: 'scim', familyName: 'scim' } });
  });

  it('merge: a field the patched resource lacks (null) was removed', () => {
    const plan = planAccountWrite(account(), scim({ userName: 'alice@example.com', title: null }), 'merge');
    expect(plan.changes).toMatchObject({ title: null });
  });

  it('a sign-in never overwrites what SCIM or HR owns, and fills what nobody owns', () => {
    const current = account({ fieldOwners: { department: 'scim', title: 'hr' } });
    const plan = planAccountWrite(current, { door: 'jit', profile: { department: 'Sales', title: 'VP', displayName: 'Alice A.' } }, 'merge');
    expect(plan.changes).toEqual({ displayName: 'Alice A.', fieldOwners: { department: 'scim', title: 'hr', displayName: 'jit' } });
  });

  it('an admin edit stands against sign-ins, and SCIM overrides it', () => {
    const edited = account({ fieldOwners: { title: 'admin' }, title: 'Lead' });
    expect(planAccountWrite(edited, { door: 'jit', profile: { title: 'Engineer' } }, 'merge').changes).toEqual({});
    expect(planAccountWrite(edited, scim({ title: 'Principal' }), 'merge').changes).toMatchObject({ title: 'Principal', fieldOwners: { title: 'scim' } });
  });

  it('groups a sign-in carries are kept; they feed rules unless SCIM owns the groups', () => {
    const jit = planAccountWrite(account(), { door: 'jit', profile: {}, groups: ['roster-admins'] }, 'merge');
    expect(jit).toMatchObject({ changes: { loginGroups: ['roster-admins'] }, ruleInputsChanged: true, after: { groups: ['roster-admins'] } });
    const scimGroups = planAccountWrite(account({ fieldOwners: { groups: 'scim' } }), { door: 'jit', profile: {}, groups: ['x'] }, 'merge');
    expect(scimGroups).toMatchObject({ changes: { loginGroups: ['x'] }, ruleInputsChanged: false });
  });

  it('the user name is never cleared', () => {
    const plan = planAccountWrite(account({ fieldOwners: { userName: 'scim' } }), scim({ displayName: 'A' }), 'replace');
    expect(plan.changes).not.toHaveProperty('userName');
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
