'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { applyRule, previewRule, ruleChangeSchema } from '@/lib/console/rule-actions';

/** The rules pages' server actions (lib/console/rule-actions.ts has the schema and handlers). */
export const previewRuleAction = adminAction('rule.preview', ruleChangeSchema, (input, ctx) => previewRule(input, ctx));

export const applyRuleAction = adminAction('rule.apply', ruleChangeSchema, async (input, ctx) => {
  const result = await applyRule(input, ctx);
  revalidatePath('/admin', 'layout');
  return result;
});
