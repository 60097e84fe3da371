import type { RuleCondition, RuleConditions } from '@/db/schema';

/** Attribute values a rule can test: a string, a list (groups), or absent. */
export type RuleAttributes = Record<string, string | string[] | null | undefined>;

/**
 * What String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator: the Zs space
 * separators, tab, VT, FF, LF, CR, LS, PS, BOM), spelled out so the SQL translation
 * (db/queries/rule-match-sql.ts) trims exactly the same characters.
 */
export const RULE_TRIM_CHARACTERS = ' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/**
 * How both sides of a comparison are read: trimmed and lower-cased (full Unicode case mapping; SQL:
 * lower() under the ICU root collation, which maps the same, final sigma included).
 */
export const normalizeRuleValue = (v: string) => v.trim().toLowerCase();
const norm = normalizeRuleValue;

/** Case-insensitive; on a list attribute a condition holds when it holds for any element. */
export function conditionHolds(condition: RuleCondition, attributes: RuleAttributes): boolean {
  const raw = attributes[condition.attribute];
  const values = (Array.isArray(raw) ? raw : raw === null || raw === undefined ? [] : [raw]).map(norm);
  if (condition.op === 'exists') return values.length > 0 && values.some((v) => v !== '');
  const expected = (Array.isArray(condition.value) ? condition.value : condition.value === undefined ? [] : [condition.value])
    .map(norm)
    .filter((v) => v !== '');
  // Fail closed: a condition without a value (a half-saved rule) must not grant a role to everyone.
  if (expected.length === 0) return false;
  const first = expected[0]!;
  switch (condition.op) {
    case 'eq':
      return values.includes(first);
    case 'neq':
      return !values.includes(first);
    case 'in':
      return values.some((v) => expected.includes(v));
    case 'contains':
      return values.some((v) => v.includes(first));
    case 'startsWith':
      return values.some((v) => v.startsWith(first));
    case 'endsWith':
      return values.some((v) => v.endsWith(first));
    default:
      return false;
  }
}

export function ruleMatches(rule: RuleConditions, attributes: RuleAttributes): boolean {
  if (rule.conditions.length === 0) return rule.match === 'all';
  return rule.match === 'all'
    ? rule.conditions.every((c) => conditionHolds(c, attributes))
    : rule.conditions.some((c) => conditionHolds(c, attributes));
}

export type BirthrightRule = { id: string; roleId: string; connectionId: string | null; conditions: RuleConditions };
export type BirthrightGrant = { roleId: string; sourceRef: string };
export type CurrentBirthright = { id: string; roleId: string; sourceRef: string };

/**
 * Which birthright assignments an account should hold after a login through `connectionId`,
 * and which of its current ones to add or remove. Only assignments this login can judge are
 * touched: organization-wide rules, this connection's rules and this connection's default roles.
 */
export function planBirthrightRoles(input: {
  connectionId: string;
  attributes: RuleAttributes;
  rules: BirthrightRule[];
  defaultRoleIds: string[];
  current: CurrentBirthright[];
}): { desired: BirthrightGrant[]; grant: BirthrightGrant[]; revoke: CurrentBirthright[] } {
  const applicable = input.rules.filter((r) => r.connectionId === null || r.connectionId === input.connectionId);
  const desired: BirthrightGrant[] = [
    ...input.defaultRoleIds.map((roleId) => ({ roleId, sourceRef: `connection:${input.connectionId}` })),
    ...applicable.filter((r) => ruleMatches(r.conditions, input.attributes)).map((r) => ({ roleId: r.roleId, sourceRef: `rule:${r.id}` })),
  ];
  const judged = new Set([`connection:${input.connectionId}`, ...applicable.map((r) => `rule:${r.id}`)]);
  const key = (g: BirthrightGrant) => `${g.roleId}|${g.sourceRef}`;
  const currentKeys = new Set(input.current.map(key));
  const desiredKeys = new Set(desired.map(key));
  return {
    desired,
    grant: desired.filter((g) => !currentKeys.has(key(g))),
    revoke: input.current.filter((c) => judged.has(c.sourceRef) && !desiredKeys.has(key(c))),
  };
}
