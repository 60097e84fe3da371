import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '@/db';
import { getAttributeRule, type RuleRow } from '@/db/queries/attribute-rules';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { findSignInGroupMembers } from '@/db/queries/group-members';
import { findRoles } from '@/db/queries/roles';
import type { RuleConditions } from '@/db/schema';
import type { Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { bulkActionLimit } from '../bulk/limits';
import { applyRuleChange } from '../rules/apply-rule-change';
import { previewRuleChange, type RulePreview } from '../rules/preview-rule-change';
import type { RuleChange } from '../rules/rule-change';
import { listLimitOf, type GroupRoleOptions, type GroupRolePreview, type GroupRoleReport } from './group-role-types';

/**
 * A group sent at sign-in (accounts.login_groups) gives a role through a birthright rule, so its
 * mapping is one rule, `Sign-in group: NAME` with the one condition `groups in NAME`, written and
 * applied by lib/lifecycle/rules (the same preview, SQL diff, limit, dry run and run id as every
 * rule): mapping creates it, remapping updates it (its conditions and scope reset to the mapping's),
 * mapping to none deletes it. Like every rule on `groups`, it reads an account's SCIM groups once
 * SCIM sends them (db/queries/rule-match-sql.ts).
 */
const PREFIX = 'Sign-in group: ';
const MAX_RULE_NAME = 200;

export const signInGroupRuleName = (name: string) => `${PREFIX}${name}`;
const conditionsOf = (name: string): RuleConditions => ({ match: 'all', conditions: [{ attribute: 'groups', op: 'in', value: [name] }] });

function checkName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw new AppError('invalid_input', 'Name the sign-in group.');
  if (signInGroupRuleName(name).length > MAX_RULE_NAME) throw new AppError('invalid_input', `A sign-in group mapped to a role has at most ${MAX_RULE_NAME - PREFIX.length} characters.`);
  return name;
}

const isMapping = (rule: RuleRow, name: string) => {
  const [only, ...rest] = rule.conditions.conditions;
  const value = Array.isArray(only?.value) ? only.value : [only?.value];
  return rest.length === 0 && only?.attribute === 'groups' && only.op === 'in' && value.length === 1 && value[0] === name && rule.connectionId === null;
};

/** The sign-in group's rule (if any), the role it gives now, and the rule change that maps it to `roleKey` (null: nothing to do). */
export async function resolveSignInMapping(db: Database | Tx, organizationId: string, rawName: string, roleKey: string | null) {
  const name = checkName(rawName);
  const rule = await getAttributeRule(db, organizationId, signInGroupRuleName(name));
  if (!rule && (await findSignInGroupMembers(db, organizationId, name, { limit: 0, offset: 0 })).total === 0) {
    throw new AppError('not_found', `No account carries the sign-in group "${name}", and no rule maps it.`);
  }
  const current = rule?.enabled ? rule.roleKey : null;
  let change: RuleChange | null = null;
  if (roleKey === null) change = rule ? { kind: 'delete', rule: rule.id } : null;
  else if (!rule) change = { kind: 'create', rule: { name: signInGroupRuleName(name), roleKey, conditions: conditionsOf(name), connection: null, enabled: true } };
  else if (rule.roleKey !== roleKey || !rule.enabled || !isMapping(rule, name)) change = { kind: 'update', rule: rule.id, set: { roleKey, conditions: conditionsOf(name), connection: null, enabled: true } };
  return { name, rule, current, change };
}

async function roleNames(db: Database | Tx, organizationId: string) {
  const roles = await findRoles(db, organizationId);
  return (key: string | null) => (key === null ? null : (roles.find((r) => r.key === key)?.name ?? key));
}

function toPreview(input: { name: string; rule: RuleRow | null; current: string | null; roleKey: string | null; nameOf: (k: string | null) => string | null }, plan: RulePreview | null, massLimit: number, listLimit: number): GroupRolePreview {
  return {
    group: { kind: 'sign-in', id: null, name: input.name },
    before: { roleKey: input.current, roleName: input.nameOf(input.current) },
    after: { roleKey: input.roleKey, roleName: input.nameOf(input.roleKey) },
    changed: input.current !== input.roleKey,
    rule: { id: plan?.change === 'create' ? null : (input.rule?.id ?? null), name: input.rule?.name ?? signInGroupRuleName(input.name), change: plan?.change ?? null },
    counts: plan?.counts ?? { gain: 0, lose: 0, gainRole: 0, loseRole: 0, accounts: 0 },
    gain: plan?.gain ?? [],
    lose: plan?.lose ?? [],
    listLimit,
    limit: plan?.limit ?? massLimit,
    needsConfirmation: plan?.needsConfirmation ?? false,
  };
}

async function massLimitOf(db: Database | Tx, organizationId: string) {
  const settings = isUuid(organizationId) ? await getOrganizationSettings(db, organizationId) : null;
  if (!settings) throw new AppError('not_found', 'No such organization.');
  return bulkActionLimit(settings);
}

/** Reads only: what mapping the sign-in group to `roleKey` would do. */
export async function previewSignInGroupRole(db: Database | Tx, organizationId: string, input: { name: string; roleKey: string | null }, options: Omit<GroupRoleOptions, 'dryRun'> = {}): Promise<GroupRolePreview> {
  const massLimit = await massLimitOf(db, organizationId);
  const resolved = await resolveSignInMapping(db, organizationId, input.name, input.roleKey);
  const listLimit = listLimitOf(options.limit);
  const plan = resolved.change ? await previewRuleChange(db, organizationId, resolved.change, { limit: listLimit, now: options.now }) : null;
  return toPreview({ ...resolved, roleKey: input.roleKey, nameOf: await roleNames(db, organizationId) }, plan, massLimit, listLimit);
}

/** Maps the sign-in group to `roleKey` through the rule apply (its run id on every grant and revoke; a dry run rolls back). */
export async function changeSignInGroupRole(db: Database, organizationId: string, input: { name: string; roleKey: string | null }, who: { actor: Actor; now?: Date }, options: GroupRoleOptions): Promise<GroupRoleReport> {
  const massLimit = await massLimitOf(db, organizationId);
  const resolved = await resolveSignInMapping(db, organizationId, input.name, input.roleKey);
  const listLimit = listLimitOf(options.limit);
  const nameOf = await roleNames(db, organizationId);
  if (!resolved.change) return { ...toPreview({ ...resolved, roleKey: input.roleKey, nameOf }, null, massLimit, listLimit), runId: randomUUID(), dryRun: options.dryRun, granted: 0, revoked: 0 };
  const report = await applyRuleChange(db, organizationId, resolved.change, who, { dryRun: options.dryRun, confirmOver: options.confirmOver, limit: listLimit });
  const preview = toPreview({ ...resolved, rule: resolved.rule, roleKey: input.roleKey, nameOf }, report, massLimit, listLimit);
  return { ...preview, rule: { ...preview.rule!, id: report.change === 'delete' ? null : report.rule.id }, runId: report.runId, dryRun: report.dryRun, granted: report.granted, revoked: report.revoked };
}
