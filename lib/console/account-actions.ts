import { z } from 'zod';
import type { ActionContext } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { revokeRole } from '@/lib/lifecycle/access/revoke-role';
import { deprovisionAccount } from '@/lib/lifecycle/account/deprovision-account';
import { liftSecurityHold, placeSecurityHold } from '@/lib/lifecycle/account/security-hold';
import { restoreAccount, suspendAccount } from '@/lib/lifecycle/account/set-account-status';
import { setAccountEndDate } from '@/lib/lifecycle/account/set-end-date';
import { revokeSessions } from '@/lib/lifecycle/session/revoke-sessions';
import { parseInstant } from '@/lib/policy/parse-time';

/**
 * The account page's actions, without Next.js: each a zod schema for the form and a handler that
 * runs one lifecycle command in the admin's organization (never the form's), so an id of another
 * organization is simply not found. app/(dashboard)/admin/accounts/[id]/actions.ts binds them.
 */
type Handler<S extends z.ZodType> = { name: string; schema: S; run: (input: z.infer<S>, ctx: ActionContext) => Promise<{ message: string }> };
const define = <S extends z.ZodType>(name: string, schema: S, run: Handler<S>['run']): Handler<S> => ({ name, schema, run });

const account = z.object({ accountId: z.uuid('No such account.') });
const reason = z.string().trim().max(500, 'Keep the reason under 500 characters.');
const expiry = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const at = parseInstant(v);
    if (!at) return (ctx.addIssue({ code: 'custom', message: 'Choose a valid date.' }), z.NEVER);
    if (at.getTime() <= Date.now()) return (ctx.addIssue({ code: 'custom', message: 'The end date must be in the future.' }), z.NEVER);
    return at;
  });

/** An account's end date: a date (00:00 UTC that day) or an ISO time, in the future (lib/policy/parse-time.ts). */
const endDate = z
  .string()
  .trim()
  .min(1, 'Choose the end date.')
  .transform((v, ctx) => {
    const at = parseInstant(v);
    if (!at) return (ctx.addIssue({ code: 'custom', message: 'Choose a valid date.' }), z.NEVER);
    if (at.getTime() <= Date.now()) return (ctx.addIssue({ code: 'custom', message: 'The end date must be in the future (to end the account now, suspend it).' }), z.NEVER);
    return at;
  });

export const accountActions = {
  suspend: define('account.suspend', account.extend({ reason: reason.optional() }), async (input, { tx, admin, command }) => {
    const result = await suspendAccount(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason || null }, command);
    return { message: result.changed ? `Suspended; ${result.sessionsRevoked} session(s) ended.` : 'Already suspended.' };
  }),
  restore: define('account.restore', account.extend({ reason: reason.optional() }), async (input, { tx, admin, command }) => {
    const result = await restoreAccount(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason || null }, command);
    return { message: result.changed ? 'Restored.' : 'Already active.' };
  }),
  deprovision: define(
    'account.deprovision',
    account.extend({ reason: reason.min(3, 'Say why, in a few words.'), confirm: z.literal('deprovision', { error: 'Type deprovision to confirm.' }) }),
    async (input, { tx, admin, command }) => {
      const result = await deprovisionAccount(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason }, command);
      return { message: `Deprovisioned: ${result.rolesRevoked} role(s) revoked, left ${result.groupsLeft} group(s).` };
    },
  ),
  revokeSessions: define('account.revoke_sessions', account, async (input, { tx, admin, command }) => {
    const result = await revokeSessions(tx, { organizationId: admin.organizationId, accountId: input.accountId }, command);
    return { message: `${result.sessionsRevoked} session(s) ended.` };
  }),
  grantRole: define('account.grant_role', account.extend({ roleKey: z.string().trim().min(1, 'Choose a role.'), expiresAt: expiry, reason: reason.optional() }), async (input, { tx, admin, command }) => {
    const result = await grantRole(tx, { organizationId: admin.organizationId, accountId: input.accountId, roleKey: input.roleKey, expiresAt: input.expiresAt, reason: input.reason || null }, command);
    return { message: result.granted ? `Granted ${result.role.name}.` : result.extended ? `Moved the end of ${result.role.name}.` : `Already holds ${result.role.name}.` };
  }),
  revokeRole: define('account.revoke_role', account.extend({ roleKey: z.string().trim().min(1), reason: reason.optional() }), async (input, { tx, admin, command }) => {
    const result = await revokeRole(tx, { organizationId: admin.organizationId, accountId: input.accountId, roleKey: input.roleKey, reason: input.reason || null }, command);
    return { message: `Revoked ${result.role.name}.${result.remaining.length ? ' Still held through a rule or group.' : ''}` };
  }),
  placeHold: define('account.place_hold', account.extend({ reason: reason.min(3, 'Say why, in a few words.') }), async (input, { tx, admin, command }) => {
    await placeSecurityHold(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason }, command);
    return { message: 'Security hold placed; the account is suspended until an admin lifts it.' };
  }),
  setEndDate: define('account.set_end_date', account.extend({ endsAt: endDate }), async (input, { tx, admin, command }) => {
    const result = await setAccountEndDate(tx, { organizationId: admin.organizationId, accountId: input.accountId, endsAt: input.endsAt }, command);
    return { message: result.changed ? `The account ends on ${input.endsAt.toISOString().slice(0, 10)}.` : 'That is already its end date.' };
  }),
  clearEndDate: define('account.clear_end_date', account, async (input, { tx, admin, command }) => {
    const result = await setAccountEndDate(tx, { organizationId: admin.organizationId, accountId: input.accountId, endsAt: null }, command);
    return { message: result.changed ? 'End date cleared.' : 'The account had no end date.' };
  }),
  liftHold: define('account.lift_hold', account.extend({ reason: reason.optional() }), async (input, { tx, admin, command }) => {
    await liftSecurityHold(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason || undefined }, command);
    return { message: 'Security hold lifted.' };
  }),
};
