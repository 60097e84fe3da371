'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { confirmHaltedRun, confirmRunSchema, dryRunJob, dryRunSchema } from '@/lib/console/job-actions';

/** The job runs pages' server actions (lib/console/job-actions.ts has the schemas and handlers). */
export const confirmRunAction = adminAction('jobs.confirm_run', confirmRunSchema, async (input, ctx) => {
  const { message } = await confirmHaltedRun(input, ctx);
  revalidatePath('/admin', 'layout');
  return { message };
});

export const dryRunAction = adminAction('jobs.dry_run', dryRunSchema, async (input, ctx) => {
  const report = await dryRunJob(input, ctx);
  revalidatePath('/admin/jobs', 'layout');
  return report;
});
