'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { grantRoleByUserName, grantSchema, revokeRoleFromAccount, revokeSchema } from '@/lib/console/roles-page';

/** The role page's grant and revoke (lib/console/roles-page.ts has the schemas and handlers). */
export const grantRoleAction = adminAction('role.grant', grantSchema, async (input, ctx) => {
  const result = await grantRoleByUserName(input, ctx);
  revalidatePath('/admin', 'layout');
  return result;
});

export const revokeRoleAction = adminAction('role.revoke', revokeSchema, async (input, ctx) => {
  const result = await revokeRoleFromAccount(input, ctx);
  revalidatePath('/admin', 'layout');
  return result;
});
