import { findAttributeRules } from '@/db/queries/attribute-rules';
import type { RuleConditions } from '@/db/schema';
import { applyRuleChange, type RuleChangeReport } from '@/lib/lifecycle/rules/apply-rule-change';
import { getRuleOrThrow, type RuleChange, type RuleDraft } from '@/lib/lifecycle/rules/rule-change';
import { formatRuleCondition, parseRuleCondition } from '@/lib/policy/rule-conditions';
import { isAppError } from '@/lib/errors';
import { UsageError, flag, integer, oneOf, optionalString, orgOption, requiredString, stringList, type Command, type OptionValues, type Runner } from '../command';
import { details, table } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';

/**
 * `roster rule create|list|update|delete`: birthright rules. Every change is previewed and applied
 * by lib/lifecycle/rules (in SQL over the organization's accounts, at once, audited); --dry-run
 * prints who would gain and lose what and changes nothing.
 */
const describeConditions = (c: RuleConditions) => c.conditions.map(formatRuleCondition).join(c.match === 'all' ? ' AND ' : ' OR ');

function conditionsOf(values: OptionValues, match: 'all' | 'any' | undefined): RuleConditions | undefined {
  const written = stringList(values, 'condition');
  if (written.length === 0) return undefined;
  try {
    return { match: match ?? 'all', conditions: written.map(parseRuleCondition) };
  } catch (error) {
    if (isAppError(error)) throw new UsageError(error.message);
    throw error;
  }
}

const changeOptions = { ...orgOption, 'dry-run': { type: 'boolean' }, confirm: { type: 'string' }, show: { type: 'string' } } as const;
const changeUsage: Command['usage'] = [
  ['--dry-run', 'print who would gain and lose which role; change nothing'],
  ['--confirm <n>', "past the organization's mass-change limit: the number of accounts the change concerns"],
  ['--show <n>', 'list at most n accounts that gain and n that lose (default 50; counts are always exact)'],
];
const conditionUsage: Command['usage'] = [
  ['--condition <text>', 'ATTRIBUTE OPERATOR [VALUE], repeatable: "department equals Engineering", "groups in eng, ops",'],
  ['', '"title starts-with Senior", "email ends-with @acme.com", "department contains sales", "extra.costCenter present"'],
  ['', 'attributes: profile fields, emailDomain, groups (SCIM groups, or those sent at sign-in), extra.<mapped name>'],
  ['--match <all|any>', 'all conditions must hold (default), or any'],
];

/** Runs a change and renders its report: the counts, then the accounts that gain and lose. */
function changeRunner(slug: string, values: OptionValues, build: (organizationId: string, db: Parameters<Runner>[0]['db']) => Promise<RuleChange>, createRole = false): Runner {
  const dryRun = flag(values, 'dry-run');
  const confirm = optionalString(values, 'confirm') === undefined ? null : integer(values, 'confirm', 0, { min: 0, max: 100_000_000 });
  const show = integer(values, 'show', 50, { min: 0, max: 10_000 });
  return async ({ db }) => {
    const org = await getOrganizationOrThrow(db, slug);
    const change = await build(org.id, db);
    const report = await applyRuleChange(db, org.id, change, { actor: cliActor() }, { dryRun, confirmOver: confirm, limit: show, createRole });
    return { data: report, text: renderReport(report) };
  };
}

function renderReport(r: RuleChangeReport): string {
  const verb = { create: 'Created', update: 'Updated', delete: 'Deleted' }[r.change];
  const head = r.dryRun ? `Dry run: nothing changed. ${verb.replace(/d$/, '')} "${r.rule.name}" would:` : `${verb} rule "${r.rule.name}" (${r.rule.id}):`;
  const rows = (list: RuleChangeReport['gain']) =>
    table(list, [
      ['USER NAME', (x) => x.userName],
      ['ROLE', (x) => x.roleKey],
      ['ALSO HELD', (x) => (x.heldOtherwise ? 'yes' : 'no')],
    ]);
  const more = (shown: number, total: number) => (total > shown ? `\n(${total - shown} more; --show raises the list, --json has the same)` : '');
  const lines = [
    head,
    details([
      ['role', r.rule.roleKey + (r.createsRole ? ' (new role)' : '')],
      ['connection', r.rule.connectionName ?? 'every connection'],
      ['enabled', r.rule.enabled],
      ['conditions', describeConditions(r.rule.conditions)],
      ['gain', `${r.counts.gain} account(s)${r.counts.gain - r.counts.gainRole ? ` (${r.counts.gain - r.counts.gainRole} already hold the role otherwise)` : ''}`],
      ['lose', `${r.counts.lose} account(s)${r.counts.lose - r.counts.loseRole ? ` (${r.counts.lose - r.counts.loseRole} keep the role otherwise)` : ''}`],
    ]),
  ];
  if (r.needsConfirmation) lines.push(`This concerns ${r.counts.accounts} accounts, more than the organization's limit of ${r.limit}: a real run needs --confirm ${r.counts.accounts}.`);
  if (r.gain.length) lines.push('', r.dryRun ? 'Would gain:' : 'Gained:', rows(r.gain) + more(r.gain.length, r.counts.gain));
  if (r.lose.length) lines.push('', r.dryRun ? 'Would lose:' : 'Lost:', rows(r.lose) + more(r.lose.length, r.counts.lose));
  return lines.join('\n');
}

const list: Command = {
  name: 'rule list',
  summary: "List an organization's birthright rules",
  usage: [['--org <slug>', 'the organization']],
  options: { ...orgOption },
  prepare(values) {
    const slug = requiredString(values, 'org');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const rules = await findAttributeRules(db, org.id);
      return {
        data: rules.map((r) => ({ id: r.id, name: r.name, roleKey: r.roleKey, connectionId: r.connectionId, connectionName: r.connectionName, enabled: r.enabled, conditions: r.conditions, createdAt: r.createdAt })),
        text: table(
          rules,
          [
            ['NAME', (r) => r.name],
            ['ROLE', (r) => r.roleKey],
            ['CONNECTION', (r) => r.connectionName ?? 'all'],
            ['ENABLED', (r) => r.enabled],
            ['CONDITIONS', (r) => describeConditions(r.conditions)],
            ['ID', (r) => r.id],
          ],
          `(no rules yet: roster rule create --org ${slug} --name … --role … --condition "department equals Engineering")`,
        ),
      };
    };
  },
};

const create: Command = {
  name: 'rule create',
  summary: 'Create a birthright rule and apply it to every matching account at once (--dry-run: who would gain what)',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--name <text>', 'the rule name (unique in the organization)'],
    ['--role <key>', 'the role it grants'],
    ['--create-role', 'create the role if the organization has none with that key'],
    ...conditionUsage,
    ['--connection <name|id>', 'only for accounts that sign in through this connection (default: every connection)'],
    ['--disabled', 'save it disabled (it grants nothing until enabled)'],
    ...changeUsage,
  ],
  options: { ...changeOptions, name: { type: 'string' }, role: { type: 'string' }, 'create-role': { type: 'boolean' }, condition: { type: 'string', multiple: true }, match: { type: 'string' }, connection: { type: 'string' }, disabled: { type: 'boolean' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const conditions = conditionsOf(values, oneOf(values, 'match', ['all', 'any'] as const));
    if (!conditions) throw new UsageError('--condition is required (at least one)');
    const rule: RuleDraft = { name: requiredString(values, 'name'), roleKey: requiredString(values, 'role'), conditions, connection: optionalString(values, 'connection') ?? null, enabled: !flag(values, 'disabled') };
    return changeRunner(slug, values, async () => ({ kind: 'create', rule }), flag(values, 'create-role'));
  },
};

const update: Command = {
  name: 'rule update',
  summary: 'Change a birthright rule (conditions, role, connection, name, enabled) and apply it at once (--dry-run first)',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--rule <name|id>', 'the rule'],
    ['--name <text>', 'a new name'],
    ['--role <key>', 'grant this role instead'],
    ['--create-role', 'create that role if missing'],
    ...conditionUsage.map(([f, d]): [string, string] => [f, f === '--condition <text>' ? `${d.replace('repeatable', 'repeatable, replaces all conditions')}` : d]),
    ['--connection <name|id>', 'only for accounts of this connection'],
    ['--all-connections', 'for every connection of the organization'],
    ['--enable / --disable', 'turn it on or off (off: its role is revoked from everyone who has it through the rule)'],
    ...changeUsage,
  ],
  options: {
    ...changeOptions,
    rule: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    'create-role': { type: 'boolean' },
    condition: { type: 'string', multiple: true },
    match: { type: 'string' },
    connection: { type: 'string' },
    'all-connections': { type: 'boolean' },
    enable: { type: 'boolean' },
    disable: { type: 'boolean' },
  },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const ref = requiredString(values, 'rule');
    const match = oneOf(values, 'match', ['all', 'any'] as const);
    const conditions = conditionsOf(values, match);
    if (flag(values, 'enable') && flag(values, 'disable')) throw new UsageError('give --enable or --disable, not both');
    if (optionalString(values, 'connection') && flag(values, 'all-connections')) throw new UsageError('give --connection or --all-connections, not both');
    const set: Partial<RuleDraft> = {};
    if (optionalString(values, 'name')) set.name = optionalString(values, 'name');
    if (optionalString(values, 'role')) set.roleKey = optionalString(values, 'role');
    if (conditions) set.conditions = conditions;
    if (optionalString(values, 'connection')) set.connection = optionalString(values, 'connection');
    if (flag(values, 'all-connections')) set.connection = null;
    if (flag(values, 'enable')) set.enabled = true;
    if (flag(values, 'disable')) set.enabled = false;
    return changeRunner(
      slug,
      values,
      async (organizationId, db) => {
        // --match alone keeps the conditions and changes how they combine.
        if (match && !conditions) set.conditions = { ...(await getRuleOrThrow(db, organizationId, ref)).conditions, match };
        return { kind: 'update', rule: ref, set };
      },
      flag(values, 'create-role'),
    );
  },
};

const remove: Command = {
  name: 'rule delete',
  summary: 'Delete a birthright rule: its role is revoked at once from everyone who has it through the rule (--dry-run first)',
  usage: [['--org <slug>', 'the organization'], ['--rule <name|id>', 'the rule'], ...changeUsage],
  options: { ...changeOptions, rule: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const ref = requiredString(values, 'rule');
    return changeRunner(slug, values, async () => ({ kind: 'delete', rule: ref }));
  },
};

export const ruleCommands = [create, list, update, remove];
