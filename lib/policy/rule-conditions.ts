import type { RuleCondition, RuleConditions } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { profileFields } from '@/lib/model/account';

/**
 * The vocabulary of birthright rules, pure: which operators a condition may use (with the words the
 * console and the CLI say them in: "department equals Engineering", "groups in eng,ops",
 * "extra.costCenter present"), which attributes it may test (lib/policy/rule-attributes.ts builds
 * them), and the check every saved rule goes through. Evaluation: evaluate-rules.ts (JS, at sign-in)
 * and db/queries/rule-match-sql.ts (SQL, previews and set-based apply); they agree on every rule.
 */
export const ruleOperatorWords = {
  eq: 'equals',
  neq: 'not-equals',
  in: 'in',
  contains: 'contains',
  startsWith: 'starts-with',
  endsWith: 'ends-with',
  exists: 'present',
} as const satisfies Record<RuleCondition['op'], string>;
export type RuleOperator = keyof typeof ruleOperatorWords;
export const ruleOperators = Object.keys(ruleOperatorWords) as RuleOperator[];

/** Attributes that are not profile fields: the email's domain and the groups (SCIM's once it owns them, else the sign-in's). */
export const derivedRuleAttributes = ['emailDomain', 'groups'] as const;
export const EXTRA_PREFIX = 'extra.';
const EXTRA_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,99}$/;
const MAX_CONDITIONS = 20;
const MAX_VALUES = 200;
const MAX_VALUE_LENGTH = 500;

/** Profile fields, emailDomain, groups, and any mapped extra attribute as `extra.<name>`. */
export function isRuleAttribute(name: string): boolean {
  if ((profileFields as readonly string[]).includes(name) || (derivedRuleAttributes as readonly string[]).includes(name)) return true;
  return name.startsWith(EXTRA_PREFIX) && EXTRA_NAME.test(name.slice(EXTRA_PREFIX.length));
}

const invalid = (message: string) => new AppError('invalid_input', message);

/** The operator a word names ("starts-with", "startsWith", "present", "eq"…), or null. */
export function ruleOperatorOf(word: string): RuleOperator | null {
  const w = word.trim().toLowerCase().replace(/_/g, '-');
  for (const op of ruleOperators) if (w === op.toLowerCase() || w === ruleOperatorWords[op]) return op;
  const aliases: Record<string, RuleOperator> = { '=': 'eq', '==': 'eq', '!=': 'neq', 'is-present': 'exists', exists: 'exists', startswith: 'startsWith', endswith: 'endsWith' };
  return aliases[w] ?? null;
}

/**
 * One condition as written: `ATTRIBUTE OPERATOR [VALUE]`, e.g. `department equals Engineering`,
 * `groups in eng, ops` (in: a comma-separated list), `title starts-with Senior`, `extra.costCenter present`.
 */
export function parseRuleCondition(text: string): RuleCondition {
  const match = /^\s*(\S+)\s+(\S+)(?:\s+(.*?))?\s*$/.exec(text);
  if (!match) throw invalid(`condition "${text}": write ATTRIBUTE OPERATOR VALUE, e.g. "department equals Engineering"`);
  const [, attribute = '', word = '', rest] = match;
  const op = ruleOperatorOf(word);
  if (!op) throw invalid(`condition "${text}": unknown operator ${word} (one of ${Object.values(ruleOperatorWords).join(', ')})`);
  const condition: RuleCondition = { attribute, op };
  if (op === 'in') condition.value = (rest ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
  else if (rest !== undefined) condition.value = rest; // present takes none: checked below
  checkRuleCondition(condition);
  return condition;
}

/** The condition as written back (parseRuleCondition's inverse). */
export function formatRuleCondition(c: RuleCondition): string {
  const value = Array.isArray(c.value) ? c.value.join(', ') : (c.value ?? '');
  return [c.attribute, ruleOperatorWords[c.op] ?? c.op, value].filter((part) => part !== '').join(' ');
}

/** Throws invalid_input for a condition no evaluator would read as meant (a rule is checked before it is saved). */
export function checkRuleCondition(c: RuleCondition): void {
  if (typeof c.attribute !== 'string' || !isRuleAttribute(c.attribute)) {
    throw invalid(`unknown attribute ${String(c.attribute)}: one of ${[...profileFields, ...derivedRuleAttributes].join(', ')}, or extra.<name> for a mapped attribute`);
  }
  if (!ruleOperators.includes(c.op)) throw invalid(`unknown operator ${String(c.op)} on ${c.attribute}`);
  const values = c.value === undefined ? [] : Array.isArray(c.value) ? c.value : [c.value];
  if (values.some((v) => typeof v !== 'string')) throw invalid(`the value of ${c.attribute} ${ruleOperatorWords[c.op]} must be text`);
  if (c.op === 'exists') {
    if (values.length > 0) throw invalid(`${c.attribute} present takes no value`);
    return;
  }
  if (values.every((v) => v.trim() === '')) throw invalid(`${c.attribute} ${ruleOperatorWords[c.op]} needs a value`);
  if (c.op !== 'in' && values.length > 1) throw invalid(`${c.attribute} ${ruleOperatorWords[c.op]} takes one value (in takes a list)`);
  if (values.length > MAX_VALUES) throw invalid(`${c.attribute} in takes at most ${MAX_VALUES} values`);
  if (values.some((v) => v.length > MAX_VALUE_LENGTH)) throw invalid(`a value of ${c.attribute} is longer than ${MAX_VALUE_LENGTH} characters`);
}

export function checkRuleConditions(rule: RuleConditions): void {
  if (rule.match !== 'all' && rule.match !== 'any') throw invalid('match must be all or any');
  if (!Array.isArray(rule.conditions) || rule.conditions.length === 0) throw invalid('a rule needs at least one condition');
  if (rule.conditions.length > MAX_CONDITIONS) throw invalid(`a rule has at most ${MAX_CONDITIONS} conditions`);
  rule.conditions.forEach(checkRuleCondition);
}
