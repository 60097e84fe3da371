import { describe, expect, it } from 'vitest';
import type { RuleCondition, RuleConditions } from '@/db/schema';
import { conditionHolds, planBirthrightRoles, ruleMatches, type BirthrightRule, type CurrentBirthright, type RuleAttributes } from './evaluate-rules';

const attributes: RuleAttributes = {
  department: 'Platform Engineering',
  email: 'Alice@Acme.com',
  emailDomain: 'acme.com',
  title: '  Staff Engineer ',
  groups: ['Staff', 'eng-oncall'],
  manager: null,
  blank: '',
  'extra.costCenter': '4711',
};

type Case = [op: RuleCondition['op'], attribute: string, value: string | string[] | undefined, expected: boolean];

describe('conditionHolds', () => {
  it.each<Case>([
    ['eq', 'emailDomain', 'acme.com', true],
    ['eq', 'emailDomain', 'ACME.COM', true],
    ['eq', 'title', 'staff engineer', true],
    ['eq', 'department', 'engineering', false],
    ['eq', 'groups', 'staff', true],
    ['eq', 'groups', 'eng', false],
    ['eq', 'manager', 'bob', false],
    ['eq', 'missing', 'x', false],
    ['eq', 'extra.costCenter', '4711', true],
    ['neq', 'emailDomain', 'other.com', true],
    ['neq', 'emailDomain', 'Acme.com', false],
    ['neq', 'groups', 'STAFF', false],
    ['neq', 'groups', 'sales', true],
    ['neq', 'missing', 'x', true],
    ['in', 'emailDomain', ['other.com', 'ACME.com'], true],
    ['in', 'emailDomain', ['other.com'], false],
    ['in', 'emailDomain', 'acme.com', true],
    ['in', 'groups', ['sales', 'Eng-Oncall'], true],
    ['in', 'groups', ['sales'], false],
    ['in', 'missing', ['x'], false],
    ['contains', 'department', 'ENGINEER', true],
    ['contains', 'department', 'sales', false],
    ['contains', 'groups', 'oncall', true],
    ['contains', 'missing', 'x', false],
    ['startsWith', 'email', 'alice@', true],
    ['startsWith', 'email', 'bob@', false],
    ['startsWith', 'groups', 'ENG-', true],
    ['endsWith', 'email', '@ACME.COM', true],
    ['endsWith', 'email', '@acme.co', false],
    ['endsWith', 'groups', '-oncall', true],
    ['exists', 'department', undefined, true],
    ['exists', 'groups', undefined, true],
    ['exists', 'manager', undefined, false],
    ['exists', 'blank', undefined, false],
    ['exists', 'missing', undefined, false],
  ])('%s on %s with %j is %s', (op, attribute, value, expected) => {
    expect(conditionHolds({ attribute, op, value }, attributes)).toBe(expected);
  });

  it.each<[string, RuleAttributes[string], boolean]>([
    ['an empty list', [], false],
    ['a list of blanks', ['', '  '], false],
    ['a blank string', '   ', false],
    ['a list with a value', ['', 'x'], true],
  ])('exists on %s is %s', (_label, value, expected) => {
    expect(conditionHolds({ attribute: 'a', op: 'exists' }, { a: value })).toBe(expected);
  });

  it.each<[RuleCondition['op'], string | string[] | undefined]>([
    ['eq', undefined],
    ['eq', ''],
    ['in', []],
    ['contains', undefined],
    ['contains', ''],
    ['startsWith', undefined],
    ['endsWith', '  '],
    ['neq', undefined],
  ])('fails closed: %s without a value never holds (value %j)', (op, value) => {
    expect(conditionHolds({ attribute: 'department', op, value }, attributes)).toBe(false);
    expect(conditionHolds({ attribute: 'blank', op, value }, attributes)).toBe(false);
  });

  it('refuses an unknown operator', () => {
    const condition = { attribute: 'department', op: 'matches', value: '.*' } as unknown as RuleCondition;
    expect(conditionHolds(condition, attributes)).toBe(false);
  });
});

describe('ruleMatches', () => {
  const yes: RuleCondition = { attribute: 'emailDomain', op: 'eq', value: 'acme.com' };
  const no: RuleCondition = { attribute: 'department', op: 'eq', value: 'sales' };
  it.each<[RuleConditions['match'], RuleCondition[], boolean]>([
    ['all', [yes, yes], true],
    ['all', [yes, no], false],
    ['all', [no, no], false],
    ['any', [yes, no], true],
    ['any', [no, yes], true],
    ['any', [no, no], false],
    ['all', [], true],
    ['any', [], false],
  ])('match %s over %j is %s', (match, conditions, expected) => {
    expect(ruleMatches({ match, conditions }, attributes)).toBe(expected);
  });
});

describe('planBirthrightRoles', () => {
  const CONN = 'conn-a';
  const engineering: BirthrightRule = {
    id: 'r-eng',
    roleId: 'role-eng',
    connectionId: null,
    conditions: { match: 'all', conditions: [{ attribute: 'department', op: 'contains', value: 'engineering' }] },
  };
  const sales: BirthrightRule = {
    id: 'r-sales',
    roleId: 'role-sales',
    connectionId: CONN,
    conditions: { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'sales' }] },
  };
  const otherConnection: BirthrightRule = { ...engineering, id: 'r-other', roleId: 'role-other', connectionId: 'conn-b' };
  const held = (id: string, roleId: string, sourceRef: string): CurrentBirthright => ({ id, roleId, sourceRef });
  const plan = (p: { rules?: BirthrightRule[]; defaultRoleIds?: string[]; current?: CurrentBirthright[]; attrs?: RuleAttributes }) =>
    planBirthrightRoles({ connectionId: CONN, attributes: p.attrs ?? attributes, rules: p.rules ?? [engineering, sales], defaultRoleIds: p.defaultRoleIds ?? [], current: p.current ?? [] });

  it.each<[string, Parameters<typeof plan>[0], { grant: string[]; revoke: string[] }]>([
    ['grants matching rules and default roles', { defaultRoleIds: ['role-member'] }, { grant: ['role-member|connection:conn-a', 'role-eng|rule:r-eng'], revoke: [] }],
    ['grants nothing already held', { current: [held('a1', 'role-eng', 'rule:r-eng')] }, { grant: [], revoke: [] }],
    ['revokes a rule that no longer matches (mover)', { attrs: { department: 'Sales' }, current: [held('a1', 'role-eng', 'rule:r-eng')] }, { grant: ['role-sales|rule:r-sales'], revoke: ['a1'] }],
    ['revokes a default role the connection dropped', { current: [held('a2', 'role-member', 'connection:conn-a')] }, { grant: ['role-eng|rule:r-eng'], revoke: ['a2'] }],
    ['ignores rules of other connections', { rules: [otherConnection] }, { grant: [], revoke: [] }],
    [
      "leaves other connections' rule and default assignments alone",
      { attrs: {}, rules: [engineering, otherConnection], current: [held('b1', 'role-other', 'rule:r-other'), held('b2', 'role-x', 'connection:conn-b')] },
      { grant: [], revoke: [] },
    ],
    ['leaves assignments of rules it was not given (disabled or deleted)', { rules: [], current: [held('c1', 'role-old', 'rule:r-gone')] }, { grant: [], revoke: [] }],
    ['keeps both sources when a role comes from a rule and a default', { defaultRoleIds: ['role-eng'] }, { grant: ['role-eng|connection:conn-a', 'role-eng|rule:r-eng'], revoke: [] }],
    ['revokes only the source that stopped applying', { attrs: {}, defaultRoleIds: ['role-eng'], current: [held('d1', 'role-eng', 'connection:conn-a'), held('d2', 'role-eng', 'rule:r-eng')] }, { grant: [], revoke: ['d2'] }],
  ])('%s', (_label, input, expected) => {
    const result = plan(input);
    expect(result.grant.map((g) => `${g.roleId}|${g.sourceRef}`).sort()).toEqual([...expected.grant].sort());
    expect(result.revoke.map((r) => r.id).sort()).toEqual([...expected.revoke].sort());
  });

  it('reports the full desired set, held or not', () => {
    const result = plan({ defaultRoleIds: ['role-member'], current: [held('a1', 'role-eng', 'rule:r-eng')] });
    expect(result.desired).toEqual([
      { roleId: 'role-member', sourceRef: 'connection:conn-a' },
      { roleId: 'role-eng', sourceRef: 'rule:r-eng' },
    ]);
  });
});
