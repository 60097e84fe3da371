import { z } from 'zod';
import type { DormancyPolicyRow } from '@/db/queries/dormancy-policies';
import { getRoleByKey } from '@/db/queries/roles';
import type { ActionContext } from '@/lib/auth/define-action';
import { planDormancy, plannedActions } from '@/lib/governance/dormancy/plan';
import { setDormancyPolicy, validateDormancyPolicy, type DormancyPolicyInput } from '@/lib/governance/dormancy/policy';
import { AppError, isAppError } from '@/lib/errors';
import type { PlannedAction } from '@/lib/jobs/types';

/**
 * The dormancy page's actions, without Next.js (app/(dashboard)/admin/dormancy/actions.ts binds
 * them): save the policy (setDormancyPolicy, audited dormancy.policy_changed), and preview the
 * policy being edited: the sweep's own planning (planDormancy: the same scan, clauses and circuit
 * breaker as a run) over an unsaved policy row built from the form, writing nothing.
 */
export const PREVIEW_SHOWN = 50;

/** validateDormancyPolicy names the rule a value breaks by its CLI flag; the form's field is that flag's. */
const FIELD_OF_FLAG: Record<string, keyof DormancyPolicyInput> = {
  'dormant-after': 'dormantAfterDays',
  'suspend-after': 'suspendAfterDays',
  'deprovision-after': 'deprovisionAfterDays',
  'never-signed-in-after': 'neverSignedInAfterDays',
  'warn-before': 'warnBeforeDays',
  'max-share': 'maxSharePercent',
  'max-count': 'maxCount',
  'exempt-role': 'exemptRoleKeys',
};

const flagLabel: Record<string, string> = {
  'dormant-after': 'Dormant after',
  'suspend-after': 'Suspend after',
  'deprovision-after': 'Deprovision after',
  'never-signed-in-after': 'Never signed in after',
  'warn-before': 'Warn before',
  'max-share': 'Max share',
  'max-count': 'Max count',
  'exempt-role': 'Exempt role',
};

/** "suspend-after (5) must be at least dormant-after (30): …" in the form's words. */
function fieldError(message: string): { field: string; message: string } {
  const flag = Object.keys(FIELD_OF_FLAG).find((f) => message.startsWith(f));
  const words = Object.entries(flagLabel).reduce((m, [f, label]) => m.replaceAll(f, label.toLowerCase()), message);
  return { field: flag ? FIELD_OF_FLAG[flag]! : 'form', message: words.charAt(0).toUpperCase() + words.slice(1) + '.' };
}

const number = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : Number(v)));
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean));

const fields = z.object({
  dormantAfterDays: number,
  suspendAfterDays: number,
  deprovisionAfterDays: number,
  neverSignedInAfterDays: number,
  warnBeforeDays: number,
  exemptRoleKeys: list,
  maxSharePercent: number,
  maxCount: number,
  enabled: z
    .string()
    .optional()
    .transform((v) => v === 'on' || v === 'true'),
});

type Fields = z.infer<typeof fields>;

/** The form, checked by validateDormancyPolicy itself: its error lands on the field it names. */
function toPolicy(v: Fields, ctx: z.RefinementCtx) {
  try {
    const { dormantAfterDays, suspendAfterDays, deprovisionAfterDays, neverSignedInAfterDays } = v;
    return validateDormancyPolicy({ ...v, dormantAfterDays: dormantAfterDays!, suspendAfterDays: suspendAfterDays!, deprovisionAfterDays: deprovisionAfterDays!, neverSignedInAfterDays: neverSignedInAfterDays!, maxSharePercent: v.maxSharePercent ?? undefined });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'invalid_input') throw error;
    const { field, message } = fieldError(error.message);
    ctx.addIssue({ code: 'custom', path: [field], message });
    return z.NEVER;
  }
}

export const policySchema = fields.transform(toPolicy);

export type PolicyValues = z.infer<typeof policySchema>;

async function throwIfUnknownRoles(ctx: ActionContext, keys: string[]) {
  for (const key of keys) if (!(await getRoleByKey(ctx.tx, ctx.admin.organizationId, key))) throw new AppError('invalid_input', `Exempt role ${key}: no such role in this organization.`);
}

export async function saveDormancyPolicy(input: PolicyValues, ctx: ActionContext) {
  await throwIfUnknownRoles(ctx, input.exemptRoleKeys);
  await setDormancyPolicy(ctx.db, { organizationId: ctx.admin.organizationId, policy: input as DormancyPolicyInput, actor: ctx.admin.actor });
  return { message: input.enabled ? 'Policy saved. The dormancy job applies it on its next run.' : 'Policy saved, disabled: the dormancy job does nothing until it is enabled.' };
}

/** `asOf`: a day (YYYY-MM-DD) to preview at, at the current time of day, like the CLI's --as-of. */
export const previewSchema = fields.extend({ asOf: z.string().trim().optional() }).transform(({ asOf, ...v }, ctx) => {
  if (asOf && (!/^\d{4}-\d\d-\d\d$/.test(asOf) || Number.isNaN(Date.parse(asOf)))) {
    ctx.addIssue({ code: 'custom', path: ['asOf'], message: 'As of must be a date.' });
    return z.NEVER;
  }
  return { ...toPolicy(v, ctx), asOf: asOf || null };
});

export type PolicyPreview = {
  asOf: string;
  counts: { dormant: number; warn: number; suspend: number; deprovision: number };
  population: number;
  halted: boolean;
  haltReason: string | null;
  planned: PlannedAction[];
  plannedTotal: number;
  enabled: boolean;
};

export function previewMoment(asOf: string | null, now: Date): Date {
  if (!asOf) return now;
  return new Date(Date.parse(`${asOf}T00:00:00Z`) + (now.getTime() % 86_400_000));
}

export async function previewDormancyPolicy(input: z.infer<typeof previewSchema>, ctx: ActionContext, clock: Date = new Date()): Promise<PolicyPreview> {
  const { asOf, ...values } = input;
  await throwIfUnknownRoles(ctx, values.exemptRoleKeys);
  const now = previewMoment(asOf, clock);
  // An unsaved row: the sweep plans from the stored row's values alone.
  const policy: DormancyPolicyRow = { organizationId: ctx.admin.organizationId, ...values, updatedAt: now, updatedBy: null };
  const plan = await planDormancy(ctx.tx, { organizationId: ctx.admin.organizationId, policy, now });
  const planned = plannedActions(plan);
  return {
    asOf: now.toISOString(),
    counts: { dormant: plan.counts.dormant ?? 0, warn: plan.counts.warn ?? 0, suspend: plan.counts.suspend ?? 0, deprovision: plan.counts.deprovision ?? 0 },
    population: plan.population,
    halted: plan.breaker.halt,
    haltReason: plan.breaker.halt ? plan.breaker.reason : null,
    planned: planned.slice(0, PREVIEW_SHOWN),
    plannedTotal: planned.length,
    enabled: values.enabled,
  };
}
