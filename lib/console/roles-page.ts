import { z } from 'zod';
import type { Tx } from '@/db';
import { getAccountById, getAccountIdByUserName } from '@/db/queries/accounts';
import { getRoleByKey } from '@/db/queries/roles';
import { findRoleHoldings, findRoleSummaries } from '@/db/queries/role-holders';
import type { ActionContext } from '@/lib/auth/define-action';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { revokeRole } from '@/lib/lifecycle/access/revoke-role';
import { durationFormat, parseDuration, parseInstant } from '@/lib/policy/parse-time';

/**
 * The roles pages (`/admin/roles`, `/admin/roles/[key]`), without Next.js: roles with their holder
 * counts, who holds one and how (rule, group, connection default, manual; expiry), and the manual
 * grant (ending after a duration or on a date, like the CLI's --expires-in / --until) and revoke,
 * through the lifecycle's grantRole / revokeRole in the admin's organization.
 */
export const HOLDERS_PAGE = 100;

export async function loadRolesPage(db: Tx, organizationId: string, now: Date) {
  return { roles: await findRoleSummaries(db, organizationId, now) };
}

export async function loadRolePage(db: Tx, organizationId: string, key: string, input: { now: Date; offset: number }) {
  const role = await getRoleByKey(db, organizationId, key);
  if (!role) throw new AppError('not_found', `No role "${key}" in this organization.`);
  const summary = (await findRoleSummaries(db, organizationId, input.now)).find((r) => r.id === role.id)!;
  const holdings = await findRoleHoldings(db, organizationId, role.id, input.now, { limit: HOLDERS_PAGE, offset: input.offset });
  return { role: summary, ...holdings, offset: input.offset, pageSize: HOLDERS_PAGE };
}

const reason = z.string().trim().max(500, 'Keep the reason under 500 characters.').optional();
const roleKey = z.string().trim().min(1, 'No such role.');

/** When a grant ends: after a duration (8h, 7d…) or on a date; at most one, never in the past. */
const grantFields = z.object({ roleKey, userName: z.string().trim().min(1, 'Type the user name of the account.'), expiresIn: z.string().trim().optional(), until: z.string().trim().optional(), reason });
export const grantSchema = grantFields.transform((v, ctx) => {
  const { expiresIn, until, ...rest } = v;
  if (expiresIn && until) {
    ctx.addIssue({ code: 'custom', path: ['until'], message: 'Give an end after a duration or an end date, not both.' });
    return z.NEVER;
  }
  let expiresAt: Date | null = null;
  if (expiresIn) {
    const ms = parseDuration(expiresIn);
    if (ms === null) return (ctx.addIssue({ code: 'custom', path: ['expiresIn'], message: `Ends after takes ${durationFormat}.` }), z.NEVER);
    expiresAt = new Date(Date.now() + ms);
  } else if (until) {
    const at = parseInstant(until);
    if (!at) return (ctx.addIssue({ code: 'custom', path: ['until'], message: 'Choose a valid date.' }), z.NEVER);
    if (at.getTime() <= Date.now()) return (ctx.addIssue({ code: 'custom', path: ['until'], message: 'The end date must be in the future.' }), z.NEVER);
    expiresAt = at;
  }
  return { ...rest, expiresAt };
});

export async function grantRoleByUserName(input: z.infer<typeof grantSchema>, { tx, admin, command }: ActionContext) {
  const accountId = await getAccountIdByUserName(tx, admin.organizationId, input.userName);
  if (!accountId) throw new AppError('not_found', `No account "${input.userName}" in this organization.`);
  const result = await grantRole(tx, { organizationId: admin.organizationId, accountId, roleKey: input.roleKey, expiresAt: input.expiresAt, reason: input.reason || null }, command);
  const until = input.expiresAt ? ` until ${input.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return { message: result.granted ? `Granted ${result.role.name} to ${input.userName}${until}.` : result.extended ? `Moved the end of ${result.role.name} for ${input.userName}.` : `${input.userName} already holds ${result.role.name}.` };
}

export const revokeSchema = z.object({ roleKey, accountId: z.string().trim().refine(isUuid, 'No such account.'), reason });

export async function revokeRoleFromAccount(input: z.infer<typeof revokeSchema>, { tx, admin, command }: ActionContext) {
  const account = await getAccountById(tx, admin.organizationId, input.accountId);
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  const result = await revokeRole(tx, { organizationId: admin.organizationId, accountId: account.id, roleKey: input.roleKey, reason: input.reason || null }, command);
  return { message: `Revoked ${result.role.name} from ${account.userName}.${result.remaining.length ? ' Still held through a rule or group.' : ''}` };
}
