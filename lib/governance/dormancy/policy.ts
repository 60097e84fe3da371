import type { Database } from '@/db';
import { getDormancyPolicy, upsertDormancyPolicy, type DormancyPolicyRow, type DormancyPolicyValues } from '@/db/queries/dormancy-policies';
import { getRoleByKey } from '@/db/queries/roles';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';

/** What an admin sets (CLI `roster dormancy policy set`, the console's editor). */
export type DormancyPolicyInput = {
  dormantAfterDays: number;
  suspendAfterDays: number;
  deprovisionAfterDays: number;
  neverSignedInAfterDays: number;
  warnBeforeDays?: number | null;
  exemptRoleKeys?: string[];
  maxSharePercent?: number;
  maxCount?: number | null;
  enabled?: boolean;
};

const MAX_DAYS = 36_500;
export const DEFAULT_MAX_SHARE_PERCENT = 10;

function days(name: string, value: number | null | undefined, optional = false): number | null {
  if (value === null || value === undefined) {
    if (optional) return null;
    throw new AppError('invalid_input', `${name} is required`);
  }
  if (!Number.isInteger(value) || value < 1 || value > MAX_DAYS) throw new AppError('invalid_input', `${name} must be a whole number of days from 1 to ${MAX_DAYS} (got ${value})`);
  return value;
}

/** The policy as stored, or a clear error naming the rule it breaks. Pure. */
export function validateDormancyPolicy(input: DormancyPolicyInput): DormancyPolicyValues {
  const dormant = days('dormant-after', input.dormantAfterDays)!;
  const suspend = days('suspend-after', input.suspendAfterDays)!;
  const deprovision = days('deprovision-after', input.deprovisionAfterDays)!;
  const never = days('never-signed-in-after', input.neverSignedInAfterDays)!;
  const warn = days('warn-before', input.warnBeforeDays, true);
  if (suspend < dormant) throw new AppError('invalid_input', `suspend-after (${suspend}) must be at least dormant-after (${dormant}): an account is dormant before it is suspended`);
  if (warn !== null && warn >= suspend) throw new AppError('invalid_input', `warn-before (${warn}) must be less than suspend-after (${suspend})`);
  if (warn !== null && warn >= never) throw new AppError('invalid_input', `warn-before (${warn}) must be less than never-signed-in-after (${never})`);
  const share = input.maxSharePercent ?? DEFAULT_MAX_SHARE_PERCENT;
  if (!Number.isInteger(share) || share < 1 || share > 100) throw new AppError('invalid_input', `max-share must be a whole percentage from 1 to 100 (got ${share})`);
  const maxCount = input.maxCount ?? null;
  if (maxCount !== null && (!Number.isInteger(maxCount) || maxCount < 1)) throw new AppError('invalid_input', `max-count must be a whole number of at least 1 (got ${maxCount})`);
  const exempt = [...new Set((input.exemptRoleKeys ?? []).map((k) => k.trim()).filter(Boolean))].sort();
  return {
    enabled: input.enabled ?? true,
    dormantAfterDays: dormant,
    suspendAfterDays: suspend,
    deprovisionAfterDays: deprovision,
    neverSignedInAfterDays: never,
    warnBeforeDays: warn,
    exemptRoleKeys: exempt,
    maxSharePercent: share,
    maxCount,
  };
}

const shown = (row: DormancyPolicyRow | null) => (row ? (({ organizationId: _o, updatedAt: _u, updatedBy: _b, ...values }) => values)(row) : null);

/** Sets the organization's policy (validated, exempt roles must exist), audited with before and after. */
export async function setDormancyPolicy(db: Database, input: { organizationId: string; policy: DormancyPolicyInput; actor: Actor }): Promise<DormancyPolicyRow> {
  const values = validateDormancyPolicy(input.policy);
  return db.transaction(async (tx) => {
    for (const key of values.exemptRoleKeys) {
      if (!(await getRoleByKey(tx, input.organizationId, key))) throw new AppError('invalid_input', `exempt-role ${key}: no such role in this organization`);
    }
    const before = await getDormancyPolicy(tx, input.organizationId, { forUpdate: true });
    const after = await upsertDormancyPolicy(tx, input.organizationId, values, input.actor.id ?? input.actor.type);
    await recordEvent(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'dormancy.policy_changed',
      target: { type: 'organization', id: input.organizationId },
      before: shown(before),
      after: shown(after),
      data: { created: before === null },
    });
    return after;
  });
}
