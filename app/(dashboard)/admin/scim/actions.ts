'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { createTokenFromForm, createTokenSchema, revokeTokenFromForm, revokeTokenSchema } from '@/lib/console/scim-actions';

/** The SCIM page's server actions (lib/console/scim-actions.ts has the schemas and handlers). */
export const createScimTokenAction = adminAction('scim_token.create', createTokenSchema, async (input, ctx) => {
  const created = await createTokenFromForm(input, ctx);
  revalidatePath('/admin/scim');
  return created;
});

export const revokeScimTokenAction = adminAction('scim_token.revoke', revokeTokenSchema, async (input, ctx) => {
  const result = await revokeTokenFromForm(input, ctx);
  revalidatePath('/admin/scim');
  return result;
});
