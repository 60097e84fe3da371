import { describe, expect, it } from 'vitest';
import { parseFilter, type FilterNode } from './filter';

const cmp = (attr: string, op: string, value: unknown, extra: { uri?: string | null; sub?: string | null } = {}) => ({
  type: 'compare',
  path: { uri: extra.uri ?? null, attr, sub: extra.sub ?? null },
  op,
  value,
});
const pr = (attr: string, sub: string | null = null) => ({ type: 'present', path: { uri: null, attr, sub } });

describe('parseFilter', () => {
  it.each<[string, unknown]>([
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    ['userName Eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    ['name.familyName co "O\'Malley"', cmp('name', 'co', "O'Malley", { sub: 'familyName' })],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', cmp('userName', 'sw', 'J', { uri: 'urn:ietf:params:scim:schemas:core:2.0:User' })],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915"',
      cmp('manager', 'eq', '26118915', { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', sub: 'value' }),
    ],
    ['title pr', pr('title')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta', 'gt', '2011-05-13T04:42:34Z', { sub: 'lastModified' })],
    ['externalId eq jyoung', cmp('externalId', 'eq', 'jyoung')],
    ['active eq true', cmp('active', 'eq', true)],
    ['active eq "False"', cmp('active', 'eq', 'False')],
    ['displayName eq "a \\"quoted\\" name"', cmp('displayName', 'eq', 'a "quoted" name')],
    ['externalId eq 1234', cmp('externalId', 'eq', 1234)],
    ['title eq null', cmp('title', 'eq', null)],
  ])('%s', (input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  it('gives and precedence over or, and keeps not (a or b) intact', () => {
    const node = parseFilter('title pr or userType eq "Intern" and active eq true');
    expect(node).toMatchObject({ type: 'or', left: pr('title'), right: { type: 'and' } });
    const negated = parseFilter('userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")');
    expect(negated).toMatchObject({
      type: 'and',
      right: { type: 'not', expr: { type: 'or', left: cmp('emails', 'co', 'example.com'), right: cmp('emails', 'co', 'example.org', { sub: 'value' }) } },
    });
  });

  it('parses value paths, also with a trailing sub-attribute comparison (Entra)', () => {
    expect(parseFilter('emails[type eq "work" and value co "@example.com"]')).toEqual({
      type: 'valuePath',
      path: { uri: null, attr: 'emails', sub: null },
      filter: { type: 'and', left: cmp('type', 'eq', 'work'), right: cmp('value', 'co', '@example.com') },
    });
    const entra = parseFilter('emails[type eq "work"].value eq "user@contoso.com"') as Extract<FilterNode, { type: 'valuePath' }>;
    expect(entra.filter).toEqual({ type: 'and', left: cmp('type', 'eq', 'work'), right: cmp('value', 'eq', 'user@contoso.com') });
  });

  it.each([
    'userName eq',
    'userName xx "a"',
    'userName eq "a" or',
    '(userName eq "a"',
    'userName eq "a")',
    'emails[type eq "work"',
    'emails[value[type eq "a"]]',
    '"bjensen"',
    'user name eq "x"',
    '',
    'a.b.c eq "x"',
    'userName eq "unterminated',
  ])('refuses %j with 400 invalidFilter', (input) => {
    expect(() => parseFilter(input)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidFilter' }));
  });

  it('refuses filters that are too long or too complex', () => {
    expect(() => parseFilter(`userName eq "${'x'.repeat(5000)}"`)).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
    const many = Array.from({ length: 300 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    expect(() => parseFilter(many)).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
  });
});
