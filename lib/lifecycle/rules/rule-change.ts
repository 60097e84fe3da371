import { randomUUID } from 'node:crypto';
import type { Tx } from '@/db';
import { getAttributeRule, type RuleRow } from '@/db/queries/attribute-rules';
import { getConnectionById, getConnectionByName } from '@/db/queries/connections';
import { getRoleByKey } from '@/db/queries/roles';
import type { RuleState } from '@/db/queries/rule-diff';
import type { RuleConditions } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { checkRuleConditions } from '@/lib/policy/rule-conditions';

/**
 * A change to an organization's birthright rules, door-neutral (the CLI, later the console's rules
 * page): a rule created, updated (enabled or disabled included) or deleted. A rule is named by its id
 * or its name; a connection by its id or name (null: every connection of the organization).
 */
export type RuleDraft = { name: string; roleKey: string; connection?: string | null; conditions: RuleConditions; enabled?: boolean };
export type RuleChange =
  | { kind: 'create'; rule: RuleDraft }
  | { kind: 'update'; rule: string; set: Partial<RuleDraft> }
  | { kind: 'delete'; rule: string };

/** A rule as previews and reports show it. */
export type RuleView = { id: string; name: string; roleId: string; roleKey: string; connectionId: string | null; connectionName: string | null; conditions: RuleConditions; enabled: boolean };

/** The change made concrete: the rule before and after (null: none), with ids resolved. */
export type ResolvedChange = {
  kind: RuleChange['kind'];
  ruleId: string;
  before: RuleView | null;
  after: RuleView | null;
  /** A role the change names that does not exist yet (created with the rule when asked to). */
  missingRoleKey: string | null;
};

const MAX_NAME = 200;

export const toRuleView = (r: RuleRow): RuleView => ({ id: r.id, name: r.name, roleId: r.roleId, roleKey: r.roleKey, connectionId: r.connectionId, connectionName: r.connectionName, conditions: r.conditions, enabled: r.enabled });

export const ruleState = (r: RuleView | null): RuleState | null =>
  r && { roleId: r.roleId, roleKey: r.roleKey, connectionId: r.connectionId, conditions: r.conditions, enabled: r.enabled };

export async function getRuleOrThrow(tx: Tx, organizationId: string, idOrName: string, options: { forUpdate?: boolean } = {}): Promise<RuleRow> {
  const rule = await getAttributeRule(tx, organizationId, idOrName.trim(), options);
  if (!rule) throw new AppError('not_found', `No rule "${idOrName}" in this organization (roster rule list shows them).`);
  return rule;
}

async function connectionOf(tx: Tx, organizationId: string, ref: string | null | undefined) {
  if (ref === null || ref === undefined || ref.trim() === '') return null;
  const byId = await getConnectionById(tx, ref.trim());
  const connection = byId?.organizationId === organizationId ? byId : await getConnectionByName(tx, organizationId, ref.trim());
  if (!connection) throw new AppError('not_found', `No connection "${ref}" in this organization.`);
  return { id: connection.id, name: connection.name };
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new AppError('invalid_input', 'A rule needs a name.');
  if (trimmed.length > MAX_NAME) throw new AppError('invalid_input', `A rule name has at most ${MAX_NAME} characters.`);
  return trimmed;
}

/**
 * Validates a change and resolves its names (inside the unit of work that applies it, or a
 * preview's read): the conditions are checked as every saved rule is (lib/policy/rule-conditions.ts),
 * a new or renamed rule's name is free, the role and connection exist in this organization.
 */
export async function resolveRuleChange(tx: Tx, organizationId: string, change: RuleChange, options: { forUpdate?: boolean; createRole?: boolean } = {}): Promise<ResolvedChange> {
  const existing = change.kind === 'create' ? null : await getRuleOrThrow(tx, organizationId, change.rule, options);
  const before = existing && toRuleView(existing);
  if (change.kind === 'delete') return { kind: 'delete', ruleId: existing!.id, before, after: null, missingRoleKey: null };
  const draft: Partial<RuleDraft> = change.kind === 'create' ? change.rule : change.set;
  const name = draft.name !== undefined ? checkName(draft.name) : existing!.name;
  if (change.kind === 'create' || name.toLowerCase() !== existing!.name.toLowerCase()) {
    const clash = await getAttributeRule(tx, organizationId, name);
    if (clash && clash.id !== existing?.id) throw new AppError('conflict', `A rule named "${clash.name}" exists already.`);
  }
  const conditions = draft.conditions ?? existing!.conditions;
  checkRuleConditions(conditions);
  const roleKey = draft.roleKey?.trim() ?? existing!.roleKey;
  if (!roleKey) throw new AppError('invalid_input', 'A rule needs a role.');
  const role = roleKey === existing?.roleKey ? { id: existing.roleId } : await getRoleByKey(tx, organizationId, roleKey);
  if (!role && !options.createRole) throw new AppError('not_found', `No role "${roleKey}" in this organization (roster role list shows them; create it with the rule if you mean a new one).`);
  const connection = draft.connection !== undefined ? await connectionOf(tx, organizationId, draft.connection) : existing && existing.connectionId ? { id: existing.connectionId, name: existing.connectionName } : null;
  const ruleId = existing?.id ?? randomUUID();
  const after = {
    id: ruleId,
    name,
    roleId: role?.id ?? '00000000-0000-0000-0000-000000000000',
    roleKey,
    connectionId: connection?.id ?? null,
    connectionName: connection?.name ?? null,
    conditions: { match: conditions.match, conditions: conditions.conditions },
    enabled: draft.enabled ?? existing?.enabled ?? true,
  };
  return { kind: change.kind, ruleId, before, after, missingRoleKey: role ? null : roleKey };
}
