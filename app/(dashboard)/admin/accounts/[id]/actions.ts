'use server';

import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { adminAction } from '@/lib/auth/actions';
import type { ActionContext } from '@/lib/auth/define-action';
import { accountActions } from '@/lib/console/account-actions';

/** The account page's server actions (lib/console/account-actions.ts has the schemas and commands). */
function bind<S extends z.ZodType>(action: { name: string; schema: S; run: (input: z.infer<S>, ctx: ActionContext) => Promise<{ message: string }> }) {
  return adminAction(action.name, action.schema, async (input, ctx) => {
    const result = await action.run(input, ctx);
    revalidatePath('/admin/accounts', 'layout');
    return result;
  });
}

export const suspendAction = bind(accountActions.suspend);
export const restoreAction = bind(accountActions.restore);
export const deprovisionAction = bind(accountActions.deprovision);
export const revokeSessionsAction = bind(accountActions.revokeSessions);
export const grantRoleAction = bind(accountActions.grantRole);
export const revokeRoleAction = bind(accountActions.revokeRole);
export const placeHoldAction = bind(accountActions.placeHold);
export const liftHoldAction = bind(accountActions.liftHold);
export const setEndDateAction = bind(accountActions.setEndDate);
export const clearEndDateAction = bind(accountActions.clearEndDate);
