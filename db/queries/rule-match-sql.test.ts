import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, groupMemberships, groups, type Account, type RuleCondition, type RuleConditions } from '@/db/schema';
import { conditionHolds, ruleMatches } from '@/lib/policy/evaluate-rules';
import { accountRuleAttributes } from '@/lib/policy/rule-attributes';
import { ruleOperators } from '@/lib/policy/rule-conditions';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { conditionSql, ruleMatchSql } from './rule-match-sql';
import { insertGroup, insertGroupMembers } from './groups';
import { setGroupsOwner, updateAccount } from './accounts';

/**
 * The SQL translation and the JS evaluator, on the same accounts: every operator on every kind of
 * attribute (profile fields, the email domain, sign-in and SCIM groups, extra attributes of each JSON
 * type), with values that differ only in case, whitespace or Unicode (final sigma, ß, dotted İ,
 * no-break and ideographic spaces), must agree on every account.
 */
const db = testDb();
afterAll(closeTestDb);

let organizationId: string;
let subjects: { account: Account; scimGroups: string[] }[] = [];

beforeAll(async () => {
  const { org } = await makeOrganization(db);
  organizationId = org.id;
  const people = [
    { profile: { department: 'Platform Engineering', title: '  Staff Engineer ', email: 'Alice@Acme.com', displayName: 'Alice' }, loginGroups: ['Staff', 'eng-oncall'],
      extra: { costCenter: '4711', level: 3, remote: true, tags: ['A', 'b ', 7, null, { x: 1 }], nothing: null, obj: { a: 1 } } },
    { profile: { department: 'ÉCOLE', title: 'ΟΔΟΣ', displayName: '\u00a0Straße\u3000', email: 'bob@sub.example.COM' }, loginGroups: ['ignored-once-scim'], scimGroups: ['Sales', ' Ops '], extra: { level: 3.5 } },
    { profile: { email: null }, loginGroups: ['', '  '], extra: {} },
    { profile: { department: '', title: 'İstanbul', email: 'noatsign' }, loginGroups: [], extra: { remote: false, tags: [] } },
    { profile: { manager: 'Bob', title: '\tsenior\n', department: 'Sales\u2028' }, loginGroups: ['ENG-Platform'], extra: { costCenter: ' 4711 ', level: '03' } },
  ];
  for (const p of people) {
    const created = await makeAccount(db, organizationId, { profile: p.profile });
    await updateAccount(db, organizationId, created.id, { loginGroups: p.loginGroups, extraAttributes: p.extra });
    if (p.scimGroups) {
      for (const name of p.scimGroups) {
        const group = await insertGroup(db, { organizationId, displayName: name });
        await insertGroupMembers(db, organizationId, group.id, [created.id]);
      }
      await setGroupsOwner(db, organizationId, [created.id], 'scim');
    }
  }
  const rows = await db.select().from(accounts).where(eq(accounts.organizationId, organizationId)).orderBy(accounts.id);
  const memberships = await db
    .select({ accountId: groupMemberships.accountId, name: groups.displayName })
    .from(groupMemberships)
    .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
    .where(and(eq(groupMemberships.organizationId, organizationId)));
  subjects = rows.map((account) => ({ account, scimGroups: memberships.filter((m) => m.accountId === account.id).map((m) => m.name) }));
});

const attributes = ['userName', 'email', 'displayName', 'department', 'title', 'manager', 'emailDomain', 'groups', 'extra.costCenter', 'extra.level', 'extra.remote', 'extra.tags', 'extra.nothing', 'extra.obj', 'extra.missing', 'unknownAttribute'];
const values = ['engineering', 'Platform Engineering', 'STAFF ENGINEER', 'école', 'οδος', 'ΟΔΟΣ', 'STRASSE', 'straße', 'acme.com', 'example.com', 'staff', 'eng-', 'sales', ' ops', '4711', '3', '3.5', 'true', 'false', 'a', 'b', '7', 'i̇stanbul', 'İSTANBUL', 'senior', 'bob', 'null', '[object Object]', '', '  '];
const lists = [['x', 'ACME.com'], ['sales', 'Eng-Oncall'], ['b', '7'], ['', ' '], ['03', 'senior']];

function allConditions(): RuleCondition[] {
  const out: RuleCondition[] = [];
  for (const attribute of attributes) {
    for (const op of ruleOperators) {
      if (op === 'exists') out.push({ attribute, op }, { attribute, op, value: '' });
      else if (op === 'in') for (const value of [...lists, ...values.map((v) => [v])]) out.push({ attribute, op, value });
      else for (const value of values) out.push({ attribute, op, value });
      out.push({ attribute, op: op === 'exists' ? 'eq' : op, value: undefined });
    }
  }
  return out;
}

/** Each predicate over every account of the organization, by account id, in batches (a row has at most 1,664 columns). */
async function judgeInSql(predicates: ReturnType<typeof sql>[]): Promise<Map<string, boolean[]>> {
  const results = new Map<string, boolean[]>();
  for (let start = 0; start < predicates.length; start += 300) {
    const batch = predicates.slice(start, start + 300);
    const columns = sql.join(batch.map((p, i) => sql`(${p}) as ${sql.raw(`c${i}`)}`), sql`, `);
    const rows = (await db.execute(sql`select a.id, ${columns} from accounts a where a.organization_id = ${organizationId}`)) as unknown as Record<string, unknown>[];
    for (const row of rows) {
      const list = results.get(String(row.id)) ?? [];
      batch.forEach((_, i) => list.push(row[`c${i}`] as boolean));
      results.set(String(row.id), list);
    }
  }
  return results;
}

describe('rule conditions: SQL and JS agree', () => {
  it('on every operator, attribute and value', async () => {
    const conditions = allConditions();
    expect(conditions.length).toBeGreaterThan(2000);
    const inSql = await judgeInSql(conditions.map(conditionSql));
    let holdsSomewhere = 0;
    for (const { account, scimGroups } of subjects) {
      const attrs = accountRuleAttributes(account, scimGroups);
      const js = conditions.map((c) => conditionHolds(c, attrs));
      const mismatches = conditions.flatMap((c, i) => (js[i] !== inSql.get(account.id)![i] ? [{ condition: c, js: js[i], sql: inSql.get(account.id)![i], attrs: attrs[c.attribute] }] : []));
      expect(mismatches, account.userName).toEqual([]);
      holdsSomewhere += js.filter(Boolean).length;
    }
    // The battery is not trivially all false.
    expect(holdsSomewhere).toBeGreaterThan(200);
  });

  it('on all / any rules, the empty ones included', async () => {
    const picks: RuleCondition[] = [
      { attribute: 'department', op: 'contains', value: 'engineer' },
      { attribute: 'groups', op: 'in', value: ['staff', 'ops'] },
      { attribute: 'extra.level', op: 'eq', value: '3' },
      { attribute: 'title', op: 'neq', value: 'senior' },
      { attribute: 'emailDomain', op: 'endsWith', value: 'example.com' },
    ];
    const rules: RuleConditions[] = [{ match: 'all', conditions: [] }, { match: 'any', conditions: [] }];
    for (let mask = 1; mask < 1 << picks.length; mask++) {
      const chosen = picks.filter((_, i) => mask & (1 << i));
      rules.push({ match: 'all', conditions: chosen }, { match: 'any', conditions: chosen });
    }
    const inSql = await judgeInSql(rules.map(ruleMatchSql));
    for (const { account, scimGroups } of subjects) {
      const attrs = accountRuleAttributes(account, scimGroups);
      expect(rules.map((r) => ruleMatches(r, attrs)), account.userName).toEqual(inSql.get(account.id));
    }
  });
});
