import { getDormancyPolicy, type DormancyPolicyRow } from '@/db/queries/dormancy-policies';
import { setDormancyPolicy } from '@/lib/governance/dormancy/policy';
import { inTransaction } from '@/lib/lifecycle/context';
import { setAccountDormancyExempt } from '@/lib/lifecycle/dormancy/dormancy-marks';
import { UsageError, flag, optionalString, orgOption, requiredString, stringList, type Command, type OptionValues } from '../command';
import { details } from '../format';
import { cliActor, getAccountIdOrThrow, getOrganizationOrThrow } from '../resolve';

function whole(values: OptionValues, name: string, required: true): number;
function whole(values: OptionValues, name: string, required: false): number | null;
function whole(values: OptionValues, name: string, required: boolean): number | null {
  const raw = optionalString(values, name);
  if (raw === undefined) {
    if (required) throw new UsageError(`--${name} is required`);
    return null;
  }
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} takes a whole number (got ${raw})`);
  return n;
}

export function policyText(policy: DormancyPolicyRow | null, slug: string): string {
  if (!policy) return `No dormancy policy for ${slug} (roster dormancy policy set --org ${slug} … sets one)`;
  return details([
    ['enabled', policy.enabled],
    ['dormant after', `${policy.dormantAfterDays} days without activity`],
    ['suspend after', policy.suspendAfterDays === null ? 'never' : `${policy.suspendAfterDays} days without activity`],
    ['never signed in', policy.neverSignedInAfterDays === null ? 'as above' : `suspended ${policy.neverSignedInAfterDays} days after creation`],
    ['warn before', policy.warnBeforeDays === null ? 'no warning' : `${policy.warnBeforeDays} days before suspension`],
    ['deprovision after', policy.deprovisionAfterDays === null ? 'never' : `${policy.deprovisionAfterDays} days suspended`],
    ['exempt roles', policy.exemptRoleKeys.length ? policy.exemptRoleKeys : '(none)'],
    ['breaker', `halts over ${policy.maxSharePercent}% of active accounts${policy.maxCount === null ? '' : ` or ${policy.maxCount} accounts`}`],
    ['updated', `${policy.updatedAt.toISOString()}${policy.updatedBy ? ` by ${policy.updatedBy}` : ''}`],
  ]);
}

const policySet: Command = {
  name: 'dormancy policy set',
  summary: 'Set the dormancy policy of an organization (audited)',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--dormant-after <days>', 'days without activity until an account is dormant'],
    ['--suspend-after <days>', 'days without activity until it is suspended (at least dormant-after)'],
    ['--deprovision-after <days>', 'days suspended for dormancy until it is deprovisioned'],
    ['--never-signed-in-after <days>', 'days from creation until an account that never signed in is suspended'],
    ['--warn-before <days>', 'warn this many days before suspension (default: no warning)'],
    ['--exempt-role <key>', 'holders of this role are never acted on (repeatable)'],
    ['--max-share <percent>', 'circuit breaker: a run suspending more than this share of active accounts halts (default 10)'],
    ['--max-count <n>', 'circuit breaker: …or more than this many accounts (default: no count limit)'],
  ],
  options: {
    ...orgOption,
    'dormant-after': { type: 'string' },
    'suspend-after': { type: 'string' },
    'deprovision-after': { type: 'string' },
    'never-signed-in-after': { type: 'string' },
    'warn-before': { type: 'string' },
    'exempt-role': { type: 'string', multiple: true },
    'max-share': { type: 'string' },
    'max-count': { type: 'string' },
  },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const policy = {
      dormantAfterDays: whole(values, 'dormant-after', true),
      suspendAfterDays: whole(values, 'suspend-after', true),
      deprovisionAfterDays: whole(values, 'deprovision-after', true),
      neverSignedInAfterDays: whole(values, 'never-signed-in-after', true),
      warnBeforeDays: whole(values, 'warn-before', false),
      exemptRoleKeys: stringList(values, 'exempt-role'),
      maxSharePercent: whole(values, 'max-share', false) ?? undefined,
      maxCount: whole(values, 'max-count', false),
    };
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const saved = await setDormancyPolicy(db, { organizationId: org.id, policy, actor: cliActor() });
      return { data: saved, text: `Dormancy policy of ${slug} set\n${policyText(saved, slug)}` };
    };
  },
};

const policyShow: Command = {
  name: 'dormancy policy show',
  summary: 'Show the dormancy policy of an organization',
  usage: [['--org <slug>', 'the organization']],
  options: { ...orgOption },
  prepare(values) {
    const slug = requiredString(values, 'org');
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const policy = await getDormancyPolicy(db, org.id);
      return { data: policy, text: policyText(policy, slug) };
    };
  },
};

const exempt: Command = {
  name: 'account dormancy-exempt',
  summary: 'Exempt an account from dormancy (break-glass accounts), or with --off make it subject again (audited)',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--user <name>', 'the account user name'],
    ['--off', 'lift the exemption'],
    ['--reason <text>', 'recorded in the audit trail'],
  ],
  options: { ...orgOption, user: { type: 'string' }, off: { type: 'boolean' }, reason: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const userName = requiredString(values, 'user');
    const on = !flag(values, 'off');
    const reason = optionalString(values, 'reason') ?? null;
    return async ({ db }) => {
      const { accountId, changed } = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
        const org = await getOrganizationOrThrow(tx, slug);
        const id = await getAccountIdOrThrow(tx, org, userName);
        return { accountId: id, ...(await setAccountDormancyExempt(tx, { organizationId: org.id, accountId: id, exempt: on, reason }, ctx)) };
      });
      const state = on ? 'exempt from dormancy' : 'subject to dormancy';
      return { data: { accountId, userName, dormancyExempt: on, changed }, text: changed ? `${userName} is now ${state}` : `${userName} was already ${state}; nothing changed` };
    };
  },
};

export const dormancyCommands = [policySet, policyShow, exempt];
