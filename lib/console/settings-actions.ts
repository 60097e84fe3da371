import { z } from 'zod';
import { getConnectionForUpdate } from '@/db/queries/connections';
import type { ActionContext } from '@/lib/auth/define-action';
import { AppError } from '@/lib/errors';
import { MIN_SESSION_MAX_AGE_SECONDS, organizationSettingsSchema, updateOrganizationSettings, type SettingsChange } from '@/lib/governance/organization-settings';
import { updateConnectionSettings } from '@/lib/lifecycle/connection/update-connection';
import type { SamlConfig } from '@/lib/saml/config';

/**
 * The settings page's actions, without Next.js (app/(dashboard)/admin/settings/actions.ts binds
 * them): the organization settings form (a blank field removes the setting: never purge, no seat
 * price, the deployment's session lifetime), and the IdP-initiated SAML switch of a connection.
 */
const blankable = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : Number(v)));

/** The form in the domain's units (the session lifetime typed in minutes), checked by the domain's schema: its message lands on its field. */
export function settingsFormSchema(deploymentSessionMaxAge: () => number) {
  return z.object({ purgeDeprovisionedAfterDays: blankable, sessionMaxAgeMinutes: blankable, seatPricePerMonth: blankable }).transform((v, ctx): SettingsChange => {
    const max = deploymentSessionMaxAge();
    const minutes = v.sessionMaxAgeMinutes;
    if (minutes !== null && (!Number.isInteger(minutes) || minutes * 60 < MIN_SESSION_MAX_AGE_SECONDS || minutes * 60 > max)) {
      ctx.addIssue({ code: 'custom', path: ['sessionMaxAgeMinutes'], message: `Session lifetime must be a whole number of minutes from 5 to ${Math.floor(max / 60)} (the deployment's ROSTER_SESSION_MAX_AGE).` });
    }
    const change: SettingsChange = { purgeDeprovisionedAfterDays: v.purgeDeprovisionedAfterDays, seatPricePerMonth: v.seatPricePerMonth, sessionMaxAgeSeconds: minutes === null ? null : minutes * 60 };
    // The session lifetime is checked above, in the form's minutes; the others by the domain's own rules.
    const given = Object.fromEntries(Object.entries(change).filter(([k, n]) => n !== null && k !== 'sessionMaxAgeSeconds'));
    for (const issue of organizationSettingsSchema(max).safeParse(given).error?.issues ?? []) ctx.addIssue({ code: 'custom', path: [String(issue.path[0])], message: issue.message });
    return change;
  });
}

export async function saveOrganizationSettings(input: SettingsChange, ctx: ActionContext, deploymentSessionMaxAge: number) {
  const { changed } = await updateOrganizationSettings(ctx.tx, { organizationId: ctx.admin.organizationId, changes: input, deploymentSessionMaxAge }, ctx.command);
  return { message: changed.length ? `Settings saved: ${changed.length} changed.` : 'Nothing changed.' };
}

export const idpInitiatedSchema = z.object({ connectionId: z.string(), allow: z.enum(['true', 'false']).transform((v) => v === 'true') });

/** Turns IdP-initiated sign-in of a SAML connection on or off (saml_config.allowIdpInitiated; audited connection.updated, the SAML settings before and after). */
export async function setIdpInitiated(input: z.infer<typeof idpInitiatedSchema>, { tx, admin, command }: ActionContext) {
  const current = await getConnectionForUpdate(tx, admin.organizationId, input.connectionId);
  if (!current) throw new AppError('not_found', 'No such connection in this organization.');
  if (current.protocol !== 'saml') throw new AppError('invalid_input', `${current.name} is not a SAML connection.`);
  // The stored document, every key kept, with the one switch changed.
  const samlConfig = { ...(current.samlConfig as Record<string, unknown>), allowIdpInitiated: input.allow } as SamlConfig;
  const { changed } = await updateConnectionSettings(tx, { organizationId: admin.organizationId, connectionId: current.id, changes: { samlConfig } }, command);
  const state = input.allow ? 'on' : 'off';
  return { message: changed.length ? `IdP-initiated sign-in is ${state} for ${current.name}.` : `IdP-initiated sign-in was already ${state} for ${current.name}.` };
}
