'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { bulkSchema, runAccountsBulk } from '@/lib/console/bulk-accounts';

/** Bulk actions of the accounts list (lib/console/bulk-accounts.ts). */
export const bulkAccountsAction = adminAction('accounts.bulk', bulkSchema, async (input, ctx) => {
  const report = await runAccountsBulk(input, ctx);
  if (!report.dryRun) revalidatePath('/admin/accounts', 'layout');
  return report;
});
