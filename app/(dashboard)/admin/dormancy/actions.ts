'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { policySchema, previewDormancyPolicy, previewSchema, saveDormancyPolicy } from '@/lib/console/dormancy-actions';

/** The dormancy page's server actions (lib/console/dormancy-actions.ts has the schemas and handlers). */
export const savePolicyAction = adminAction('dormancy.set_policy', policySchema, async (input, ctx) => {
  const result = await saveDormancyPolicy(input, ctx);
  revalidatePath('/admin', 'layout');
  return result;
});

export const previewPolicyAction = adminAction('dormancy.preview_policy', previewSchema, (input, ctx) => previewDormancyPolicy(input, ctx));
