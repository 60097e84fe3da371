import { describe, expect, it } from 'vitest';
import type { ClaimMapping } from '@/db/schema';
import { emailDomain, mapClaims, missingAttributes, readClaim, toBoolean, type Claims, type MappedAttributes } from './map-claims';

const WS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
const nothing: MappedAttributes = {
  email: null,
  emailVerified: null,
  userName: null,
  displayName: null,
  givenName: null,
  familyName: null,
  department: null,
  title: null,
  employeeNumber: null,
  manager: null,
  groups: [],
  extra: {},
};

describe('mapClaims with the default OIDC mapping', () => {
  it('maps the standard claims', () => {
    const claims = {
      sub: 's-1',
      email: 'alice@acme.com',
      email_verified: true,
      preferred_username: 'alice',
      name: 'Alice Anders',
      given_name: 'Alice',
      family_name: 'Anders',
      department: 'Engineering',
      title: 'Staff Engineer',
      employee_number: 'E-7',
      manager: 'bob@acme.com',
      groups: ['staff', 'eng'],
    };
    expect(mapClaims(claims)).toEqual({
      email: 'alice@acme.com',
      emailVerified: true,
      userName: 'alice',
      displayName: 'Alice Anders',
      givenName: 'Alice',
      familyName: 'Anders',
      department: 'Engineering',
      title: 'Staff Engineer',
      employeeNumber: 'E-7',
      manager: 'bob@acme.com',
      groups: ['staff', 'eng'],
      extra: {},
    });
  });

  it('maps no claims to nothing', () => {
    expect(mapClaims({})).toEqual(nothing);
  });

  it.each<[string, Claims, Partial<MappedAttributes>]>([
    ['email from upn', { upn: 'alice@acme.com' }, { email: 'alice@acme.com', userName: 'alice@acme.com' }],
    ['upn when email is empty', { email: '', upn: 'alice@acme.com' }, { email: 'alice@acme.com' }],
    ['upn when email is null', { email: null, upn: 'alice@acme.com' }, { email: 'alice@acme.com' }],
    ['userName from email without preferred_username', { email: 'alice@acme.com' }, { userName: 'alice@acme.com' }],
    ['userName from email when preferred_username is empty', { preferred_username: '', email: 'a@acme.com' }, { userName: 'a@acme.com' }],
    ['title from job_title', { job_title: 'CFO' }, { title: 'CFO' }],
    ['title from jobTitle', { jobTitle: 'CTO' }, { title: 'CTO' }],
    ['title before job_title', { title: 'A', job_title: 'B' }, { title: 'A' }],
    ['employeeNumber from employee_id', { employee_id: 'X1' }, { employeeNumber: 'X1' }],
    ['a number as text', { employee_number: 4711 }, { employeeNumber: '4711' }],
    ['the first of a list', { department: ['R&D', 'Ops'] }, { department: 'R&D' }],
  ])('falls back through the list: %s', (_label, claims, expected) => {
    expect(mapClaims(claims)).toMatchObject(expected);
  });

  it.each<[string, Claims, Partial<MappedAttributes>]>([
    ['empty string', { department: '' }, { department: null }],
    ['blank string', { department: '   ' }, { department: null }],
    ['surrounding spaces trimmed', { department: '  Sales ' }, { department: 'Sales' }],
    ['empty email', { email: '' }, { email: null, userName: null }],
    ['empty name parts', { given_name: '', family_name: '' }, { displayName: null }],
    ['an object where text is expected', { department: { name: 'x' } }, { department: null }],
  ])('turns empty values into null: %s', (_label, claims, expected) => {
    expect(mapClaims(claims)).toMatchObject(expected);
  });

  it.each([
    ['Alice@Example.COM', 'alice@example.com'],
    ['  BOB@acme.com ', 'bob@acme.com'],
  ])('lowercases the email %j', (email, expected) => {
    expect(mapClaims({ email }).email).toBe(expected);
  });

  it.each<[Claims, string | null]>([
    [{ given_name: 'Alice', family_name: 'Anders' }, 'Alice Anders'],
    [{ given_name: 'Alice' }, 'Alice'],
    [{ family_name: 'Anders' }, 'Anders'],
    [{ name: 'Dr. A. Anders', given_name: 'Alice', family_name: 'Anders' }, 'Dr. A. Anders'],
    [{ name: '', given_name: 'Alice', family_name: 'Anders' }, 'Alice Anders'],
    [{}, null],
  ])('builds the display name from %j', (claims, expected) => {
    expect(mapClaims(claims).displayName).toBe(expected);
  });

  it.each<[unknown, boolean | null]>([
    [true, true],
    [false, false],
    ['True', true],
    ['False', false],
    ['true', true],
    [' FALSE ', false],
    ['1', true],
    ['0', false],
    [1, true],
    [0, false],
    [2, null],
    ['yes', null],
    [[true], true],
    [null, null],
    ['', null],
  ])('reads email_verified %j as %j', (value, expected) => {
    expect(mapClaims({ email_verified: value }).emailVerified).toBe(expected);
    expect(toBoolean(value)).toBe(expected);
  });

  it.each<[unknown, string[]]>([
    ['admins', ['admins']],
    [['a', 'b'], ['a', 'b']],
    [['a', 'b', 'a', 'b'], ['a', 'b']],
    [[' a ', 'a', ''], ['a']],
    [[1, '1', 'x'], ['1', 'x']],
    ['a,b', ['a,b']],
    [[], []],
    [null, []],
    [undefined, []],
  ])('reads groups %j as %j', (groups, expected) => {
    expect(mapClaims({ groups }).groups).toEqual(expected);
  });
});

describe('mapClaims with a custom mapping', () => {
  it.each<[string, ClaimMapping, Claims, Partial<MappedAttributes>]>([
    ['overrides a default', { department: 'dept' }, { dept: 'Ops', department: 'Sales' }, { department: 'Ops' }],
    ['replaces the default list', { email: 'mail' }, { upn: 'a@acme.com' }, { email: null }],
    ['keeps the other defaults', { department: 'dept' }, { title: 'CFO' }, { title: 'CFO' }],
    ['takes its own list', { email: ['mail', 'email'] }, { email: 'b@acme.com' }, { email: 'b@acme.com' }],
    ['reads a nested path', { department: 'org.unit.name' }, { org: { unit: { name: 'R&D' } } }, { department: 'R&D' }],
    ['misses a broken nested path', { department: 'org.unit.name' }, { org: { unit: 'R&D' } }, { department: null }],
    ['misses a null in a nested path', { department: 'org.unit' }, { org: null }, { department: null }],
    ['reads an exact name with dots', { email: `${WS}/emailaddress` }, { [`${WS}/emailaddress`]: 'Carol@Acme.com' }, { email: 'carol@acme.com' }],
    ['prefers the exact name to a path', { department: 'a.b' }, { 'a.b': 'exact', a: { b: 'nested' } }, { department: 'exact' }],
    ['reads SAML given and surname', { givenName: `${WS}/givenname`, familyName: `${WS}/surname` }, { [`${WS}/givenname`]: ['Dee'], [`${WS}/surname`]: ['Dunn'] }, { displayName: 'Dee Dunn' }],
    ['maps groups from another claim', { groups: 'roles' }, { roles: ['x', 'x'], groups: ['y'] }, { groups: ['x'] }],
    ['fills userName from the email when unmapped', { userName: 'nickname' }, { email: 'Eve@Acme.com' }, { userName: 'eve@acme.com' }],
  ])('%s', (_label, mapping, claims, expected) => {
    expect(mapClaims(claims, mapping)).toMatchObject(expected);
  });

  it.each<[string, ClaimMapping, Claims, Record<string, string | string[]>]>([
    ['a string', { 'extra.costCenter': 'cost_center' }, { cost_center: ' 4711 ' }, { costCenter: '4711' }],
    ['a number', { 'extra.level': 'level' }, { level: 7 }, { level: '7' }],
    ['a boolean', { 'extra.contractor': 'is_contractor' }, { is_contractor: true }, { contractor: 'true' }],
    ['a list, deduplicated', { 'extra.roles': 'roles' }, { roles: ['a', 'b', 'a'] }, { roles: ['a', 'b'] }],
    ['a fallback list', { 'extra.site': ['office', 'location'] }, { location: 'Berlin' }, { site: 'Berlin' }],
    ['a nested path', { 'extra.region': 'address.region' }, { address: { region: 'EU' } }, { region: 'EU' }],
    ['nothing when absent', { 'extra.costCenter': 'cost_center' }, {}, {}],
    ['nothing when empty', { 'extra.costCenter': 'cost_center' }, { cost_center: '' }, {}],
  ])('maps an extra attribute: %s', (_label, mapping, claims, expected) => {
    expect(mapClaims(claims, mapping).extra).toEqual(expected);
  });
});

describe('missingAttributes', () => {
  const full = mapClaims(
    { email: 'a@acme.com', email_verified: true, department: 'Ops', groups: ['g'], cost: 'c' },
    { 'extra.cost': 'cost' },
  );
  it.each<[string, Partial<MappedAttributes>, string[], string[]]>([
    ['nothing required', {}, [], []],
    ['all present', {}, ['email', 'emailVerified', 'department', 'groups', 'extra.cost'], []],
    ['email', { email: null }, ['email'], ['email']],
    ['department among others', { department: null }, ['email', 'department'], ['department']],
    ['groups', { groups: [] }, ['groups'], ['groups']],
    ['an extra attribute', { extra: {} }, ['extra.cost'], ['extra.cost']],
    ['emailVerified', { emailVerified: null }, ['emailVerified'], ['emailVerified']],
    ['several, in order', { email: null, title: null }, ['title', 'email'], ['title', 'email']],
  ])('%s', (_label, overrides, required, expected) => {
    expect(missingAttributes({ ...full, ...overrides }, required)).toEqual(expected);
  });
});

describe('helpers', () => {
  it.each<[Claims, string, unknown]>([
    [{ a: 1 }, 'a', 1],
    [{ a: { b: { c: 2 } } }, 'a.b.c', 2],
    [{ 'a.b': 3 }, 'a.b', 3],
    [{ a: [10, 20] }, 'a.1', 20],
    [{ a: {} }, 'a.b', undefined],
    [{}, 'toString', undefined],
    [{}, 'constructor.name', undefined],
  ])('readClaim(%j, %j) is %j', (claims, name, expected) => {
    expect(readClaim(claims, name)).toBe(expected);
  });

  it.each([
    ['a@Acme.COM', 'acme.com'],
    ['"a@b"@c.com', 'c.com'],
  ])('emailDomain(%j) is %j', (email, expected) => {
    expect(emailDomain(email)).toBe(expected);
  });
});
