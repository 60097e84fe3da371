import { z } from 'zod';
import { findAccountIdsForFilter } from '@/db/queries/console-accounts';
import type { ActionContext } from '@/lib/auth/define-action';
import { AppError } from '@/lib/errors';
import { BULK_HARD_CAP } from '@/lib/lifecycle/bulk/limits';
import { runBulkAction } from '@/lib/lifecycle/bulk/run-bulk-action';
import type { BulkReport } from '@/lib/lifecycle/bulk/types';
import { invalidAccountListParams, parseAccountListParams } from './account-list-params';

/**
 * A bulk action of the accounts list: over the selected accounts, or over every account the
 * list's filter matches (the same URL parameters as the page and its export). A dry run first
 * (what the dialog shows: how many change, stay, are refused and why), then the run itself, both
 * through lib/lifecycle/bulk (chunked lifecycle commands, a limit past which the admin types the
 * number, an audit trail with the run's id).
 */
export const bulkSchema = z.object({
  action: z.enum(['suspend', 'restore', 'grant_role', 'revoke_role']),
  scope: z.enum(['selected', 'filter']),
  ids: z.string().max(BULK_HARD_CAP * 37).optional(),
  filter: z.string().max(4000).optional(),
  roleKey: z.string().trim().max(100).optional(),
  expiresAt: z
    .string()
    .optional()
    .transform((v) => (v ? new Date(`${v}T23:59:59Z`) : null)),
  reason: z.string().trim().max(500).optional(),
  dryRun: z.enum(['1', '0']),
  confirmOver: z.coerce.number().int().nonnegative().optional(),
});

export async function runAccountsBulk(input: z.infer<typeof bulkSchema>, { db, admin }: ActionContext): Promise<BulkReport> {
  if (input.scope !== 'selected') {
    const invalid = invalidAccountListParams(new URLSearchParams(input.filter ?? ''));
    if (invalid.length) throw new AppError('invalid_input', `The filter is not valid (${invalid.join('; ')}); nothing was changed.`);
  }
  const accountIds =
    input.scope === 'selected'
      ? (input.ids ?? '').split(',').filter(Boolean)
      : await findAccountIdsForFilter(db, admin.organizationId, parseAccountListParams(Object.fromEntries(new URLSearchParams(input.filter ?? ''))).filter, BULK_HARD_CAP + 1);
  if (accountIds.length === 0) throw new AppError('invalid_input', 'No account is selected.');
  return runBulkAction(
    db,
    {
      organizationId: admin.organizationId,
      action: input.action,
      accountIds,
      roleKey: input.roleKey || null,
      expiresAt: input.expiresAt,
      reason: input.reason || null,
      dryRun: input.dryRun === '1',
      confirmOver: input.confirmOver ?? null,
    },
    { actor: admin.actor, now: new Date() },
  );
}
