'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { applyGroupRoleChange, groupRoleSchema, previewGroupRoleChange } from '@/lib/console/group-role-actions';

/** The groups pages' server actions (lib/console/group-role-actions.ts has the schema and handlers). */
export const previewGroupRoleAction = adminAction('group.role_preview', groupRoleSchema, (input, ctx) => previewGroupRoleChange(input, ctx));

export const applyGroupRoleAction = adminAction('group.role_mapped', groupRoleSchema, async (input, ctx) => {
  const result = await applyGroupRoleChange(input, ctx);
  revalidatePath('/admin', 'layout');
  return result;
});
