import { describe, expect, it } from 'vitest';
import { applyMemberChanges, normalizeGroupPatch } from './group-patch';
import { normalizeUserBody } from './normalize';
import { normalizeUserPatch } from './normalize-patch';
import { groupDefinition, userDefinition } from './schemas';
import { ENTERPRISE_SCHEMA, PATCH_SCHEMA, USER_SCHEMA } from './scimmy';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations });
const user = { schemas: [USER_SCHEMA], id: 'u1', userName: 'bjensen', emails: [{ value: 'b@example.com', type: 'work', primary: true }] };

describe('normalizeUserPatch (Entra ID and Okta as they really send it)', () => {
  it.each([
    ['Entra legacy disable: Replace + "False"', patch({ op: 'Replace', path: 'active', value: 'False' }), [{ op: 'replace', path: 'active', value: false }]],
    ['Entra with aadOptscim062020', patch({ op: 'replace', path: 'active', value: false }), [{ op: 'replace', path: 'active', value: false }]],
    ['Okta deactivate: no-path replace', patch({ op: 'replace', value: { active: false } }), [{ op: 'replace', path: 'active', value: false }]],
    [
      'Entra no-path replace with dotted and URN keys',
      patch({ op: 'replace', value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', [`${ENTERPRISE_SCHEMA}:employeeNumber`]: 'Aklq' } }),
      [
        { op: 'replace', path: 'displayName', value: 'Bjfe' },
        { op: 'replace', path: 'name.givenName', value: 'Kkom' },
        { op: 'replace', path: `${ENTERPRISE_SCHEMA}:employeeNumber`, value: 'Aklq' },
      ],
    ],
    ['Entra Add of a single-valued string', patch({ op: 'Add', path: 'nickName', value: 'Babs' }), [{ op: 'add', path: 'nickName', value: 'Babs' }]],
    [
      'Entra manager as a one-item list on the core path',
      patch({ op: 'Add', path: 'manager', value: [{ $ref: 'http://x/Users/m1', value: 'm1' }] }),
      [{ op: 'add', path: `${ENTERPRISE_SCHEMA}:manager`, value: { $ref: 'http://x/Users/m1', value: 'm1' } }],
    ],
    ['manager as a bare id', patch({ op: 'replace', path: `${ENTERPRISE_SCHEMA}:manager`, value: 'm2' }), [{ op: 'replace', path: `${ENTERPRISE_SCHEMA}:manager`, value: { value: 'm2' } }]],
    ['attribute names in any case, core URN prefix dropped', patch({ op: 'replace', path: `${USER_SCHEMA}:Title`, value: 'CEO' }), [{ op: 'replace', path: 'title', value: 'CEO' }]],
    [
      'a complex replace keeps the sub-attributes it does not name',
      patch({ op: 'replace', path: 'name', value: { givenName: 'B' } }),
      [{ op: 'replace', path: 'name.givenName', value: 'B' }],
    ],
    [
      'Replace emails[type eq "home"].value with no home email adds one',
      patch({ op: 'Replace', path: 'emails[type eq "home"].value', value: 'h@example.com' }),
      [{ op: 'add', path: 'emails', value: [{ type: 'home', value: 'h@example.com' }] }],
    ],
    [
      'Replace emails[type eq "work"].value keeps the path when it matches',
      patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }),
      [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }],
    ],
    ['null value removes', patch({ op: 'replace', path: 'title', value: null }), [{ op: 'remove', path: 'title' }]],
    ['id and meta in a no-path value are ignored', patch({ op: 'replace', value: { id: 'u1', meta: {}, title: 'x' } }), [{ op: 'replace', path: 'title', value: 'x' }]],
  ])('%s', (_name, body, expected) => {
    expect(normalizeUserPatch(userDefinition, body, user)).toEqual(expected);
  });

  it.each([
    ['no Operations', { schemas: [PATCH_SCHEMA] }, 'invalidValue'],
    ['wrong schema', { schemas: ['urn:x'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['unknown op', patch({ op: 'merge', path: 'title', value: 'x' }), 'invalidSyntax'],
    ['remove without path', patch({ op: 'remove' }), 'noTarget'],
    ['unknown attribute', patch({ op: 'replace', path: 'shoeSize', value: 44 }), 'invalidPath'],
    ['read-only groups', patch({ op: 'add', path: 'groups', value: [{ value: 'g' }] }), 'mutability'],
  ])('refuses %s', (_name, body, scimType) => {
    expect(() => normalizeUserPatch(userDefinition, body, user)).toThrow(expect.objectContaining({ status: 400, scimType }));
  });
});

describe('normalizeGroupPatch', () => {
  it('splits Entra and Okta member operations from the rest', () => {
    const body = patch(
      { op: 'Remove', path: 'members', value: [{ value: 'U1' }] },
      { op: 'remove', path: 'members[value eq "u2" or value eq "u3"]' },
      { op: 'Add', path: 'members', value: [{ $ref: null, value: 'u4' }] },
      { op: 'replace', value: { id: 'g1', displayName: 'Renamed' } },
    );
    expect(normalizeGroupPatch(groupDefinition, body)).toEqual({
      operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }],
      members: [
        { op: 'remove', ids: ['u1'] },
        { op: 'remove', ids: ['u2', 'u3'] },
        { op: 'add', ids: ['u4'] },
      ],
    });
  });

  it('applies member changes in order', () => {
    const changes = normalizeGroupPatch(groupDefinition, patch({ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [{ value: 'b' }, { value: 'c' }] })).members;
    expect([...applyMemberChanges(['a', 'b'], changes)]).toEqual(['b', 'c']);
    const replaced = normalizeGroupPatch(groupDefinition, patch({ op: 'replace', path: 'members', value: [{ value: 'z' }] })).members;
    expect([...applyMemberChanges(['a'], replaced)]).toEqual(['z']);
  });
});

describe('normalizeUserBody', () => {
  it('makes Entra\'s documented create body acceptable: nulls, odd schema URN, flat enterprise keys', () => {
    const body = normalizeUserBody(
      {
        schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
        userName: 'jyoung@testuser.com',
        active: 'True',
        addresses: null,
        phoneNumbers: null,
        emails: [{ type: 'Work', value: 'jyoung@Contoso.com', primary: 'true' }],
        [`${ENTERPRISE_SCHEMA}:department`]: 'Sales',
        [ENTERPRISE_SCHEMA]: { manager: 'm1' },
        groups: [],
        password: 'secret',
        id: 'ignored',
      },
      USER_SCHEMA,
    );
    expect(body).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
      userName: 'jyoung@testuser.com',
      active: true,
      emails: [{ type: 'work', value: 'jyoung@Contoso.com', primary: true }],
      [ENTERPRISE_SCHEMA]: { manager: { value: 'm1' }, department: 'Sales' },
    });
  });
});
