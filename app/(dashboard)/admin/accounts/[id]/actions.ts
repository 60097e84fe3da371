'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { revokeRole } from '@/lib/lifecycle/access/revoke-role';
import { deprovisionAccount } from '@/lib/lifecycle/account/deprovision-account';
import { liftSecurityHold, placeSecurityHold } from '@/lib/lifecycle/account/security-hold';
import { restoreAccount, suspendAccount } from '@/lib/lifecycle/account/set-account-status';
import { revokeSessions } from '@/lib/lifecycle/session/revoke-sessions';
import { adminAction } from '@/lib/auth/actions';

/** The account page's actions: each an admin's lifecycle command, confirmed in the UI, audited with the admin as actor. */
const account = z.object({ accountId: z.uuid('No such account.') });
const reason = z.string().trim().max(500, 'Keep the reason under 500 characters.');
const done = (accountId: string) => revalidatePath(`/admin/accounts/${accountId}`);

export const suspendAction = adminAction('account.suspend', account.extend({ reason: reason.optional() }), async (input, { tx, admin, command }) => {
  const result = await suspendAccount(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason || null }, command);
  done(input.accountId);
  return { message: result.changed ? `Suspended; ${result.sessionsRevoked} session(s) ended.` : 'Already suspended.' };
});

export const restoreAction = adminAction('account.restore', account.extend({ reason: reason.optional() }), async (input, { tx, admin, command }) => {
  const result = await restoreAccount(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason || null }, command);
  done(input.accountId);
  return { message: result.changed ? 'Restored.' : 'Already active.' };
});

export const deprovisionAction = adminAction(
  'account.deprovision',
  account.extend({ reason: reason.min(3, 'Say why, in a few words.'), confirm: z.literal('deprovision', { error: 'Type deprovision to confirm.' }) }),
  async (input, { tx, admin, command }) => {
    const result = await deprovisionAccount(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason }, command);
    done(input.accountId);
    return { message: `Deprovisioned: ${result.rolesRevoked} role(s) revoked, left ${result.groupsLeft} group(s).` };
  },
);

export const revokeSessionsAction = adminAction('account.revoke_sessions', account, async (input, { tx, admin, command }) => {
  const result = await revokeSessions(tx, { organizationId: admin.organizationId, accountId: input.accountId }, command);
  done(input.accountId);
  return { message: `${result.sessionsRevoked} session(s) ended.` };
});

const expiry = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const at = new Date(v);
    if (Number.isNaN(at.getTime())) return (ctx.addIssue({ code: 'custom', message: 'Choose a valid date.' }), z.NEVER);
    if (at.getTime() <= Date.now()) return (ctx.addIssue({ code: 'custom', message: 'The end date must be in the future.' }), z.NEVER);
    return at;
  });

export const grantRoleAction = adminAction(
  'account.grant_role',
  account.extend({ roleKey: z.string().trim().min(1, 'Choose a role.'), expiresAt: expiry, reason: reason.optional() }),
  async (input, { tx, admin, command }) => {
    const result = await grantRole(tx, { organizationId: admin.organizationId, accountId: input.accountId, roleKey: input.roleKey, expiresAt: input.expiresAt, reason: input.reason || null }, command);
    done(input.accountId);
    return { message: result.granted ? `Granted ${result.role.name}.` : result.extended ? `Moved the end of ${result.role.name}.` : `Already holds ${result.role.name}.` };
  },
);

export const revokeRoleAction = adminAction('account.revoke_role', account.extend({ roleKey: z.string().trim().min(1), reason: reason.optional() }), async (input, { tx, admin, command }) => {
  const result = await revokeRole(tx, { organizationId: admin.organizationId, accountId: input.accountId, roleKey: input.roleKey, reason: input.reason || null }, command);
  done(input.accountId);
  return { message: `Revoked ${result.role.name}.${result.remaining.length ? ' Still held through a rule or group.' : ''}` };
});

export const placeHoldAction = adminAction('account.place_hold', account.extend({ reason: reason.min(3, 'Say why, in a few words.') }), async (input, { tx, admin, command }) => {
  await placeSecurityHold(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason }, command);
  done(input.accountId);
  return { message: 'Security hold placed; the account is suspended until an admin lifts it.' };
});

export const liftHoldAction = adminAction('account.lift_hold', account.extend({ reason: reason.optional() }), async (input, { tx, admin, command }) => {
  await liftSecurityHold(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason || undefined }, command);
  done(input.accountId);
  return { message: 'Security hold lifted.' };
});
