'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { applyRun, createSource, createSourceSchema, previewSchema, previewSourceFile, resolveReviewItem, resolveReviewSchema, runSource, runSourceSchema } from '@/lib/console/reconcile-actions';

/** The reconciliation pages' server actions (lib/console/reconcile-actions.ts has the schemas and handlers). */
export const previewFileAction = adminAction('reconcile.preview_file', previewSchema, (input) => previewSourceFile(input));

export const createSourceAction = adminAction('reconcile.create_source', createSourceSchema, async (input, ctx) => {
  const result = await createSource(input, ctx);
  revalidatePath('/admin/reconciliation', 'layout');
  return result;
});

export const runSourceAction = adminAction('reconcile.run', runSourceSchema, async (input, ctx) => {
  const report = await runSource(input, ctx);
  revalidatePath('/admin', 'layout');
  return report;
});

export const resolveReviewAction = adminAction('reconcile.resolve_review', resolveReviewSchema, async (input, ctx) => {
  const result = await resolveReviewItem(input, ctx);
  revalidatePath('/admin/reconciliation', 'layout');
  return result;
});

/** Apply a dry run, or confirm a halted run, from the run's page: a real run; halted or failed again is the form's error. */
export const applyRunAction = adminAction('reconcile.apply_run', runSourceSchema, async (input, ctx) => {
  const result = await applyRun(input, ctx);
  revalidatePath('/admin', 'layout');
  return result;
});
