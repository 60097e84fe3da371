import { describe, expect, it } from 'vitest';
import { normalizeRuleValue, RULE_TRIM_CHARACTERS } from './evaluate-rules';
import { checkRuleConditions, formatRuleCondition, parseRuleCondition } from './rule-conditions';

describe('rule conditions as written', () => {
  it.each([
    ['department equals Engineering', { attribute: 'department', op: 'eq', value: 'Engineering' }],
    ['groups in eng, ops ,', { attribute: 'groups', op: 'in', value: ['eng', 'ops'] }],
    ['title starts-with Senior Staff', { attribute: 'title', op: 'startsWith', value: 'Senior Staff' }],
    ['title startsWith Senior', { attribute: 'title', op: 'startsWith', value: 'Senior' }],
    ['email ends-with @acme.com', { attribute: 'email', op: 'endsWith', value: '@acme.com' }],
    ['department contains eng', { attribute: 'department', op: 'contains', value: 'eng' }],
    ['emailDomain not-equals other.com', { attribute: 'emailDomain', op: 'neq', value: 'other.com' }],
    ['extra.costCenter present', { attribute: 'extra.costCenter', op: 'exists' }],
  ])('%s', (text, condition) => {
    expect(parseRuleCondition(text)).toEqual(condition);
    expect(parseRuleCondition(formatRuleCondition(parseRuleCondition(text)))).toEqual(condition);
  });

  it.each([
    ['department', /ATTRIBUTE OPERATOR VALUE/],
    ['department is Engineering', /unknown operator is/],
    ['shoeSize equals 9', /unknown attribute shoeSize/],
    ['department equals', /needs a value/],
    ['groups in ,', /needs a value/],
    ['department present now', /takes no value/],
    ['extra. present', /unknown attribute/],
  ])('refuses %j', (text, message) => {
    expect(() => parseRuleCondition(text)).toThrow(message);
  });

  it('a rule has at least one condition and says all or any', () => {
    expect(() => checkRuleConditions({ match: 'all', conditions: [] })).toThrow(/at least one/);
    expect(() => checkRuleConditions({ match: 'most' as 'all', conditions: [{ attribute: 'title', op: 'exists' }] })).toThrow(/all or any/);
  });

  it('trims exactly what String.prototype.trim trims (the SQL translation trims this list)', () => {
    expect(RULE_TRIM_CHARACTERS.trim()).toBe('');
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      expect(c.trim() === '', `U+${code.toString(16)}`).toBe(RULE_TRIM_CHARACTERS.includes(c));
    }
    expect(normalizeRuleValue('\u3000ΟΔΟΣ\u00a0')).toBe('οδος');
  });
});
