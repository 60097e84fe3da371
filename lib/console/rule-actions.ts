import { z } from 'zod';
import type { Tx } from '@/db';
import { findAttributeRules, getAttributeRule } from '@/db/queries/attribute-rules';
import { findConnectionsByOrganization } from '@/db/queries/connections';
import { findRoles } from '@/db/queries/roles';
import type { RuleCondition, RuleConditions } from '@/db/schema';
import type { ActionContext } from '@/lib/auth/define-action';
import { AppError, isAppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { applyRuleChange } from '@/lib/lifecycle/rules/apply-rule-change';
import { previewRuleChange, type RulePreview } from '@/lib/lifecycle/rules/preview-rule-change';
import type { RuleChange, RuleDraft } from '@/lib/lifecycle/rules/rule-change';
import { checkRuleCondition, formatRuleCondition, ruleOperators } from '@/lib/policy/rule-conditions';

/**
 * The rules pages' data and actions, without Next.js (app/(dashboard)/admin/rules/actions.ts binds
 * them). The form becomes one RuleChange; "Preview" runs previewRuleChange on it and "Save" runs
 * applyRuleChange on the very same change (the same resolution and SQL diff), so what the
 * confirmation says is what the save does on the same data. Every id is looked up in the admin's
 * organization (never the form's): another organization's rule is simply not found.
 */
export const PREVIEW_LIST = 20;

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const formFields = z.object({
  kind: z.enum(['create', 'update', 'enable', 'disable', 'delete'], { error: 'Unknown change.' }),
  ruleId: z.string().trim().optional(),
  name: z.string().optional(),
  roleKey: z.string().trim().optional(),
  connectionId: z.string().trim().optional(),
  match: z.enum(['all', 'any']).optional(),
  enabled: z.string().optional(),
  attribute: list,
  op: list,
  value: list,
  confirmOver: z.string().trim().optional(),
});
type FormFields = z.infer<typeof formFields>;

/** The condition rows as typed (attribute, operator, value per row), each checked as a saved rule's is. */
function conditionsOf(v: FormFields, ctx: z.RefinementCtx): RuleConditions | null {
  if (v.attribute.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'Add at least one condition.' });
    return null;
  }
  let ok = true;
  const conditions = v.attribute.map((attribute, i): RuleCondition => {
    const op = (v.op[i] ?? '') as RuleCondition['op'];
    const raw = (v.value[i] ?? '').trim();
    const condition: RuleCondition = { attribute: attribute.trim(), op };
    if (op === 'in') condition.value = raw.split(',').map((s) => s.trim()).filter(Boolean);
    else if (op !== 'exists' && raw !== '') condition.value = raw;
    if (!ruleOperators.includes(op)) {
      ctx.addIssue({ code: 'custom', path: ['conditions', i], message: 'Choose an operator.' });
      ok = false;
      return condition;
    }
    try {
      checkRuleCondition(condition);
    } catch (error) {
      if (!isAppError(error)) throw error;
      ok = false;
      ctx.addIssue({ code: 'custom', path: ['conditions', i], message: error.message.charAt(0).toUpperCase() + error.message.slice(1) + '.' });
    }
    return condition;
  });
  return ok ? { match: v.match ?? 'all', conditions } : null;
}

/** The form as a RuleChange (with the typed confirmation, if any); field errors for what cannot be one. */
function toChange(v: FormFields, ctx: z.RefinementCtx): { change: RuleChange; confirmOver: number | null } {
  const confirmOver = v.confirmOver ? Number(v.confirmOver) : null;
  if (confirmOver !== null && (!Number.isInteger(confirmOver) || confirmOver < 0)) ctx.addIssue({ code: 'custom', path: ['confirmOver'], message: 'Type the number of accounts.' });
  if (v.kind !== 'create' && !isUuid(v.ruleId ?? '')) {
    ctx.addIssue({ code: 'custom', path: ['form'], message: 'No such rule.' });
    return z.NEVER;
  }
  const rule = v.ruleId ?? '';
  if (v.kind === 'delete') return { change: { kind: 'delete', rule }, confirmOver };
  if (v.kind === 'enable' || v.kind === 'disable') return { change: { kind: 'update', rule, set: { enabled: v.kind === 'enable' } }, confirmOver };
  const name = (v.name ?? '').trim();
  if (!name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'Name the rule.' });
  if (!v.roleKey) ctx.addIssue({ code: 'custom', path: ['roleKey'], message: 'Choose the role it grants.' });
  if (v.connectionId && !isUuid(v.connectionId)) ctx.addIssue({ code: 'custom', path: ['connectionId'], message: 'Choose a connection.' });
  const conditions = conditionsOf(v, ctx);
  if (!name || !v.roleKey || !conditions || (v.connectionId && !isUuid(v.connectionId))) return z.NEVER;
  const draft: RuleDraft = { name, roleKey: v.roleKey, connection: v.connectionId || null, conditions, enabled: v.enabled === 'on' || v.enabled === 'true' };
  if (v.kind === 'create') return { change: { kind: 'create', rule: draft }, confirmOver };
  return { change: { kind: 'update', rule, set: draft }, confirmOver };
}

export const ruleChangeSchema = formFields.transform(toChange);
export type RuleChangeInput = z.infer<typeof ruleChangeSchema>;

/** A connection the form names must be the admin's (resolveRuleChange also matches by name; the form sends ids only). */
async function throwIfForeignConnection(tx: Tx, organizationId: string, change: RuleChange) {
  const ref = change.kind === 'create' ? change.rule.connection : change.kind === 'update' ? change.set.connection : null;
  if (!ref) return;
  const mine = await findConnectionsByOrganization(tx, organizationId);
  if (!mine.some((c) => c.id === ref)) throw new AppError('not_found', 'No such connection in this organization.');
}

export type RulePreviewView = Omit<RulePreview, 'rule' | 'before'> & { ruleName: string; roleKey: string; conditionsText: string; beforeRoleKey: string | null };

const toView = (p: RulePreview): RulePreviewView => {
  const { rule, before, ...rest } = p;
  return { ...rest, ruleName: rule.name, roleKey: rule.roleKey, conditionsText: describeConditions(rule.conditions), beforeRoleKey: before?.roleKey ?? null };
};

/** What the change would do (reads only): the counts, the first accounts that gain and lose. */
export async function previewRule(input: RuleChangeInput, ctx: ActionContext): Promise<RulePreviewView> {
  await throwIfForeignConnection(ctx.tx, ctx.admin.organizationId, input.change);
  return toView(await previewRuleChange(ctx.tx, ctx.admin.organizationId, input.change, { limit: PREVIEW_LIST, now: ctx.command.now }));
}

/** Saves the change and applies it to every affected account at once (one unit of work, audited with a run id). */
export type RuleApplyResult = { message: string; ruleId: string | null; runId: string; granted: number; revoked: number };

export async function applyRule(input: RuleChangeInput, ctx: ActionContext): Promise<RuleApplyResult> {
  await throwIfForeignConnection(ctx.tx, ctx.admin.organizationId, input.change);
  const report = await applyRuleChange(ctx.db, ctx.admin.organizationId, input.change, { actor: ctx.admin.actor }, { dryRun: false, confirmOver: input.confirmOver, limit: PREVIEW_LIST });
  const what = { create: 'Created', update: 'Saved', delete: 'Deleted' }[report.change];
  const n = (v: number) => v.toLocaleString('en-US');
  return { message: `${what} "${report.rule.name}": ${n(report.granted)} granted, ${n(report.revoked)} revoked.`, ruleId: report.change === 'delete' ? null : report.rule.id, runId: report.runId, granted: report.granted, revoked: report.revoked };
}

/** "department equals Engineering and groups in eng, ops" */
export function describeConditions(c: RuleConditions): string {
  return c.conditions.map(formatRuleCondition).join(c.match === 'all' ? ' and ' : ' or ');
}

export type RuleListItem = { id: string; name: string; roleKey: string; connectionName: string | null; enabled: boolean; conditionsText: string };

export async function loadRulesPage(db: Tx, organizationId: string) {
  const rules = await findAttributeRules(db, organizationId);
  return { rules: rules.map((r): RuleListItem => ({ id: r.id, name: r.name, roleKey: r.roleKey, connectionName: r.connectionName, enabled: r.enabled, conditionsText: describeConditions(r.conditions) })) };
}

/** The editor's choices: roles, connections, and the attributes seen on this organization's accounts (extra.<name>). */
export async function loadRuleEditor(db: Tx, organizationId: string, ruleId: string | null) {
  const [roles, connections] = await Promise.all([findRoles(db, organizationId), findConnectionsByOrganization(db, organizationId)]);
  const rule = ruleId ? await getAttributeRule(db, organizationId, ruleId) : null;
  if (ruleId && !rule) throw new AppError('not_found', 'No such rule in this organization.');
  return {
    roles: roles.map((r) => ({ key: r.key, name: r.name })),
    connections: connections.map((c) => ({ id: c.id, name: c.name })),
    rule: rule && { id: rule.id, name: rule.name, roleKey: rule.roleKey, connectionId: rule.connectionId, connectionName: rule.connectionName, enabled: rule.enabled, conditions: rule.conditions },
  };
}
