import { sql, type SQL } from 'drizzle-orm';
import type { RuleCondition, RuleConditions } from '@/db/schema';
import { isProfileField } from '@/lib/model/account';
import { normalizeRuleValue, RULE_TRIM_CHARACTERS } from '@/lib/policy/evaluate-rules';
import { EXTRA_PREFIX } from '@/lib/policy/rule-conditions';

/**
 * A rule's conditions as a SQL predicate over one row of `accounts` (alias `a`), so previews and the
 * set-based apply judge an organization's accounts in one statement. It says exactly what
 * lib/policy/evaluate-rules.ts (conditionHolds, ruleMatches) says of accountRuleAttributes(account)
 * (lib/policy/rule-attributes.ts); rule-match-sql.test.ts runs both over the same accounts:
 * - both sides trimmed of the same characters and lower-cased with full Unicode case mapping
 *   (lower() under the ICU root collation; the server needs ICU, as PostgreSQL builds have by default);
 * - a condition without a value fails closed; on a list (groups, a list-valued extra attribute)
 *   a condition holds when it holds for any element, `not-equals` when no element equals;
 * - `groups`: the account's SCIM groups once SCIM owns them (field_owners.groups = 'scim'), else
 *   the groups its last sign-in carried (login_groups).
 * Values are parameters (normalized here, as the evaluator normalizes them), never SQL text.
 */
const NORMALIZED = (value: SQL) => sql`(lower(btrim(${value}, ${RULE_TRIM_CHARACTERS}::text) collate "und-x-icu") collate "C")`;

const columns: Record<string, string> = {
  userName: 'user_name',
  email: 'email',
  displayName: 'display_name',
  givenName: 'given_name',
  familyName: 'family_name',
  department: 'department',
  title: 'title',
  employeeNumber: 'employee_number',
  manager: 'manager',
};

type Operand = { kind: 'scalar'; value: SQL } | { kind: 'list'; values: SQL };

/** What a condition's attribute is for the account row `a`: one normalized value (or null), or a normalized list. */
function operandOf(attribute: string): Operand {
  if (isProfileField(attribute)) return { kind: 'scalar', value: NORMALIZED(sql.raw(`a.${columns[attribute]}`)) };
  if (attribute === 'emailDomain') return { kind: 'scalar', value: NORMALIZED(sql`substring(a.email from '[^@]*$')`) };
  if (attribute === 'groups') {
    const scimGroups = sql`array(select g.display_name from group_memberships gm join groups g on g.id = gm.group_id and g.organization_id = gm.organization_id
      where gm.organization_id = a.organization_id and gm.account_id = a.id)`;
    const raw = sql`case when a.field_owners->>'groups' = 'scim' then ${scimGroups} else a.login_groups end`;
    return { kind: 'list', values: sql`array(select ${NORMALIZED(sql`x.v`)} from unnest(${raw}) x(v) where x.v is not null)` };
  }
  if (attribute.startsWith(EXTRA_PREFIX)) {
    const value = sql`(a.extra_attributes -> ${attribute.slice(EXTRA_PREFIX.length)}::text)`;
    const elements = sql`jsonb_array_elements(case when jsonb_typeof(${value}) = 'array' then ${value} else jsonb_build_array(${value}) end)`;
    return { kind: 'list', values: sql`array(select ${NORMALIZED(sql`(x.v #>> '{}')`)} from ${elements} x(v) where jsonb_typeof(x.v) in ('string', 'number', 'boolean'))` };
  }
  return { kind: 'scalar', value: sql`null::text` };
}

const expectedOf = (c: RuleCondition) =>
  (Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value])
    .filter((v): v is string => typeof v === 'string')
    .map(normalizeRuleValue)
    .filter((v) => v !== '');

const textArray = (values: string[]) => sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[]`;

/** One condition over the account row `a` (never null: true or false). */
export function conditionSql(c: RuleCondition): SQL {
  const operand = operandOf(c.attribute);
  const expected = expectedOf(c);
  if (c.op !== 'exists' && expected.length === 0) return sql`false`;
  const first = sql`${expected[0] ?? ''}::text`;
  const test = (v: SQL): SQL | null => {
    switch (c.op) {
      case 'exists':
        return sql`${v} <> ''`;
      case 'eq':
      case 'neq':
        return sql`${v} = ${first}`;
      case 'in':
        return sql`${v} = any(${textArray(expected)})`;
      case 'contains':
        return sql`strpos(${v}, ${first}) > 0`;
      case 'startsWith':
        return sql`starts_with(${v}, ${first})`;
      case 'endsWith':
        return sql`right(${v}, length(${first})) = ${first}`;
      default:
        return null;
    }
  };
  const holds = test(sql`v.s`);
  if (!holds) return sql`false`;
  // A scalar is a list of at most one value: null (absent) holds nothing, so not-equals holds.
  const some =
    operand.kind === 'scalar'
      ? sql`coalesce(${test(operand.value)}, false)`
      : c.op === 'eq' || c.op === 'neq'
        ? sql`coalesce(${first} = any(${operand.values}), false)`
        : c.op === 'in'
          ? sql`(${operand.values} && ${textArray(expected)})`
          : sql`exists (select 1 from unnest(${operand.values}) v(s) where ${holds})`;
  return c.op === 'neq' ? sql`not ${some}` : some;
}

/** The rule over the account row `a`: all of its conditions, or any (no conditions: all holds, any does not). */
export function ruleMatchSql(rule: RuleConditions): SQL {
  if (rule.conditions.length === 0) return rule.match === 'all' ? sql`true` : sql`false`;
  const parts = rule.conditions.map((c) => sql`(${conditionSql(c)})`);
  return sql`(${sql.join(parts, rule.match === 'all' ? sql` and ` : sql` or `)})`;
}
