'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { resolveConflict, resolveConflictSchema } from '@/lib/console/conflicts-page';

/** The link-conflicts page's decision (lib/console/conflicts-page.ts has the schema and handler). */
export const resolveConflictAction = adminAction('conflict.resolve', resolveConflictSchema, async (input, ctx) => {
  const result = await resolveConflict(input, ctx);
  revalidatePath('/admin', 'layout');
  return result;
});
