import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '@/db';
import { deleteAttributeRule, insertAttributeRuleWithId, lockOrganizationRules, updateAttributeRule } from '@/db/queries/attribute-rules';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { findRuleDiff } from '@/db/queries/rule-diff';
import { upsertRole } from '@/db/queries/roles';
import type { Actor, AuditInput } from '@/lib/audit/record-event';
import { AppError, isAppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { applyAccessDiff } from '../access/apply-access-diff';
import { bulkActionLimit } from '../bulk/limits';
import { inTransaction, type CommandContext } from '../context';
import { planRuleChange, type RulePreview } from './preview-rule-change';
import { resolveRuleChange, ruleState, type ResolvedChange, type RuleChange, type RuleView } from './rule-change';

/**
 * Saves a rule change and applies it to every affected account at once, in one unit of work: the
 * rule written, then every grant and revoke its diff calls for (db/queries/rule-diff.ts, the same
 * statement the preview runs) through the access gate (access/gate.ts: decided, written and audited
 * as `role.granted` / `role.revoked` with the run's id), then `rule.created|updated|deleted` with the
 * counts. Nothing is half-written: it all commits or none of it.
 *
 * A change that concerns more accounts than the organization's mass-change limit (the bulk actions'
 * limit) is refused, and the refusal audited, unless `confirmOver` is exactly that number. A dry run
 * takes the very same path and rolls it back: its report is what a real run on the same data does.
 */
export type ApplyRuleOptions = { dryRun: boolean; confirmOver?: number | null; limit?: number; createRole?: boolean };
export type RuleChangeReport = RulePreview & { runId: string; dryRun: boolean; granted: number; revoked: number };


class DryRunRollback extends Error {
  constructor(readonly report: RuleChangeReport) {
    super('rule change: dry run rolled back');
  }
}

export async function applyRuleChange(db: Database, organizationId: string, change: RuleChange, who: { actor: Actor; now?: Date }, options: ApplyRuleOptions): Promise<RuleChangeReport> {
  const settings = isUuid(organizationId) ? await getOrganizationSettings(db, organizationId) : null;
  if (!settings) throw new AppError('not_found', 'No such organization.');
  const massLimit = bulkActionLimit(settings);
  const runId = randomUUID();
  let refusedRule: string | null = null;
  try {
    return await inTransaction(db, who, async (tx, ctx) => {
      await lockOrganizationRules(tx, organizationId);
      const resolved = await resolveRuleChange(tx, organizationId, change, { forUpdate: true, createRole: options.createRole });
      refusedRule = resolved.ruleId;
      if (resolved.missingRoleKey && resolved.after) {
        const role = await upsertRole(tx, { organizationId, key: resolved.missingRoleKey, name: resolved.missingRoleKey });
        resolved.after.roleId = role.id;
      }
      const plan = await planRuleChange(tx, organizationId, resolved, { limit: options.limit, now: ctx.now, massLimit });
      checkConfirmation(plan, options);
      await saveRule(tx, organizationId, resolved);
      const { granted, revoked } = await applyDiff(tx, organizationId, resolved, runId, ctx);
      ctx.record(ruleEvent(organizationId, resolved, { runId, granted, revoked, accounts: plan.counts.accounts, confirmedOver: plan.needsConfirmation ? (options.confirmOver ?? null) : null }, ctx));
      const report: RuleChangeReport = { ...plan, runId, dryRun: options.dryRun, granted, revoked };
      if (options.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    if (isAppError(error) && error.code === 'precondition_failed' && refusedRule) {
      const reason = error.message;
      const target = { type: 'rule', id: refusedRule };
      await inTransaction(db, who, async (_tx, ctx) => ctx.record({ organizationId, actor: ctx.actor, action: 'admin.action_refused', target, data: { action: `rule.${change.kind}`, reason } }));
    }
    throw error;
  }
}

const count = (n: number) => n.toLocaleString('en-US');

function checkConfirmation(plan: RulePreview, options: ApplyRuleOptions) {
  if (!plan.needsConfirmation || options.dryRun || options.confirmOver === plan.counts.accounts) return;
  const typed = options.confirmOver === undefined || options.confirmOver === null ? '' : ` (${count(options.confirmOver)} was typed)`;
  throw new AppError(
    'precondition_failed',
    `This rule change concerns ${count(plan.counts.accounts)} accounts, more than this organization's limit of ${count(plan.limit)} for one change: type ${plan.counts.accounts} to confirm${typed}.`,
    { accounts: plan.counts.accounts, limit: plan.limit },
  );
}

async function saveRule(tx: Tx, organizationId: string, resolved: ResolvedChange) {
  const after = resolved.after;
  if (resolved.kind === 'delete') return deleteAttributeRule(tx, organizationId, resolved.ruleId);
  if (!after) return;
  const values = { name: after.name, roleId: after.roleId, connectionId: after.connectionId, conditions: after.conditions, enabled: after.enabled };
  if (resolved.kind === 'create') return insertAttributeRuleWithId(tx, { id: resolved.ruleId, organizationId, ...values });
  return updateAttributeRule(tx, organizationId, resolved.ruleId, values);
}

/** Every grant and revoke of the change, through the gate, in chunks, with the run id. */
async function applyDiff(tx: Tx, organizationId: string, resolved: ResolvedChange, runId: string, ctx: CommandContext) {
  const diff = await findRuleDiff(tx, { organizationId, ruleId: resolved.ruleId, after: ruleState(resolved.after), now: ctx.now });
  const roleKeys = new Map<string, string>();
  if (resolved.before) roleKeys.set(resolved.before.roleId, resolved.before.roleKey);
  if (resolved.after) roleKeys.set(resolved.after.roleId, resolved.after.roleKey);
  const grant = resolved.after ? { roleId: resolved.after.roleId, source: 'birthright' as const, sourceRef: `rule:${resolved.ruleId}` } : null;
  return applyAccessDiff(tx, { organizationId, diff, grant, roleKeys, runId }, ctx);
}

const described = (r: RuleView) => ({ name: r.name, roleKey: r.roleKey, connectionId: r.connectionId, conditions: r.conditions, enabled: r.enabled });

function ruleEvent(organizationId: string, resolved: ResolvedChange, counts: { runId: string; granted: number; revoked: number; accounts: number; confirmedOver: number | null }, ctx: CommandContext): AuditInput {
  const rule = resolved.after ?? resolved.before!;
  const data = { ...counts, name: rule.name, roleKey: rule.roleKey, connectionId: rule.connectionId, enabled: rule.enabled };
  const target = { type: 'rule', id: resolved.ruleId };
  const before = resolved.before ? described(resolved.before) : null;
  const after = resolved.after ? described(resolved.after) : null;
  const action = resolved.kind === 'create' ? 'rule.created' : resolved.kind === 'update' ? 'rule.updated' : 'rule.deleted';
  return { organizationId, actor: ctx.actor, action, target, before, after, data };
}
