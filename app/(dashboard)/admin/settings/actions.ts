'use server';

import { revalidatePath } from 'next/cache';
import { adminAction } from '@/lib/auth/actions';
import { idpInitiatedSchema, saveOrganizationSettings, setIdpInitiated, settingsFormSchema } from '@/lib/console/settings-actions';
import { getEnv } from '@/lib/env';

/** The settings page's server actions (lib/console/settings-actions.ts has the schemas and handlers). */
const deploymentSessionMaxAge = () => getEnv().ROSTER_SESSION_MAX_AGE;

export const saveSettingsAction = adminAction('organization.update_settings', settingsFormSchema(deploymentSessionMaxAge), async (input, ctx) => {
  const result = await saveOrganizationSettings(input, ctx, deploymentSessionMaxAge());
  revalidatePath('/admin', 'layout');
  return result;
});

export const setIdpInitiatedAction = adminAction('connection.set_idp_initiated', idpInitiatedSchema, async (input, ctx) => {
  const result = await setIdpInitiated(input, ctx);
  revalidatePath('/admin', 'layout');
  return result;
});
