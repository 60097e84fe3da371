import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import {
  accountDisplayKey,
  accountLastLoginKey,
  accounts,
  accountSearchText,
  accountSourceEnum,
  accountStatusEnum,
  externalIdentities,
  groupMemberships,
  roleAssignments,
  roles,
  type AccountStatus,
} from '@/db/schema';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import type { AccountSource } from './console-counts';

/** What the console's account list can be filtered by; every part given must hold (and). */
export type ConsoleAccountFilter = {
  /**
   * Search. Three characters or more: any part of the user name, email or display name
   * (case-insensitive substring, trigram index). One or two: the start of one of them (prefix).
   */
  q?: string;
  status?: AccountStatus[];
  source?: AccountSource[];
  /** Accounts with a sign-in identity on this connection. */
  connectionId?: string;
  /** Accounts holding this role now (a grant without expiry, or expiring later), whatever its source. */
  roleKey?: string;
  groupId?: string;
  /** Last signed in at `from` or later and before `to` (accounts that never signed in never match). */
  lastSignIn?: { from?: Date; to?: Date };
  /** true: never signed in; false: signed in at least once. */
  neverSignedIn?: boolean;
};

/** Whether the filter says nothing but statuses and sources: then counters know its total (console-counts.ts). */
export function onlyStatusAndSource(filter: ConsoleAccountFilter): boolean {
  return !filter.q?.replace(/\p{Cc}/gu, '').trim() && [filter.connectionId, filter.roleKey, filter.groupId, filter.lastSignIn?.from, filter.lastSignIn?.to, filter.neverSignedIn].every((v) => v === undefined);
}

const like = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The filter as SQL on accounts, scoped by organization: `condition` (everything), `memberships`
 * (each of the connection, role and group parts as `select account_id …`, index-only where their
 * indexes allow) and whether any part is about the account's own columns. Null when the filter can
 * match nothing (an id that is not a uuid, a role the organization lacks, no known status).
 *
 * A role key is resolved to its id first (one index lookup), so the planner sees the role's id and
 * its statistics: how many hold it decides whether to walk the page's sort index or start from the
 * role's holders (25 admins among a million accounts). Never signed in is said on the sign-in sort
 * key (-infinity), as the index of that order and the partial index for its counts say it.
 */
export type AccountCondition = { condition: SQL; memberships: SQL[]; onAccounts: boolean };

export async function accountFilterCondition(db: Tx, organizationId: string, filter: ConsoleAccountFilter): Promise<AccountCondition | null> {
  const org = sql`${organizationId}::uuid`;
  const where: SQL[] = [];
  const memberships: SQL[] = [];
  if (filter.status?.length) {
    const statuses = filter.status.filter((s) => accountStatusEnum.enumValues.includes(s));
    if (statuses.length === 0) return null;
    where.push(inArray(accounts.status, statuses));
  }
  if (filter.source?.length) {
    const sources = filter.source.filter((s) => accountSourceEnum.enumValues.includes(s));
    if (sources.length === 0) return null;
    where.push(inArray(accounts.source, sources));
  }
  // Control characters are dropped: nobody types them, NUL is no text to PostgreSQL, chr(1) separates the fields searched.
  const term = filter.q?.replace(/\p{Cc}/gu, '').trim().toLowerCase().slice(0, 200);
  if (term && term.length >= 3) where.push(sql`${accountSearchText(accounts)} like ${`%${like(term)}%`}`);
  else if (term) {
    const prefix = `${like(term)}%`;
    where.push(or(sql`lower(${accounts.userName}) like ${prefix}`, sql`lower(${accounts.email}) like ${prefix}`, sql`${accountDisplayKey(accounts)} like ${prefix}`)!);
  }
  const { from, to } = filter.lastSignIn ?? {};
  for (const date of [from, to]) if (date && Number.isNaN(date.getTime())) throw new AppError('invalid_input', 'lastSignIn: not a date');
  const signedIn = accountLastLoginKey(accounts);
  if (from || to) where.push(sql`${signedIn} > '-infinity'::timestamptz`);
  if (from) where.push(sql`${signedIn} >= ${from.toISOString()}::timestamptz`);
  if (to) where.push(sql`${signedIn} < ${to.toISOString()}::timestamptz`);
  if (filter.neverSignedIn === true) where.push(sql`${signedIn} = '-infinity'::timestamptz`);
  if (filter.neverSignedIn === false && !(from || to)) where.push(sql`${signedIn} > '-infinity'::timestamptz`);

  if (filter.connectionId !== undefined) {
    if (!isUuid(filter.connectionId)) return null;
    memberships.push(sql`select ${externalIdentities.accountId} from ${externalIdentities}
      where ${externalIdentities.organizationId} = ${org} and ${externalIdentities.connectionId} = ${filter.connectionId}::uuid`);
  }
  if (filter.roleKey !== undefined) {
    const [role] = await db.select({ id: roles.id }).from(roles).where(and(eq(roles.organizationId, organizationId), eq(roles.key, filter.roleKey)));
    if (!role) return null;
    memberships.push(sql`select ${roleAssignments.accountId} from ${roleAssignments}
      where ${roleAssignments.organizationId} = ${org} and ${roleAssignments.roleId} = ${role.id}::uuid
        and (${roleAssignments.expiresAt} is null or ${roleAssignments.expiresAt} > now())`);
  }
  if (filter.groupId !== undefined) {
    if (!isUuid(filter.groupId)) return null;
    memberships.push(sql`select ${groupMemberships.accountId} from ${groupMemberships}
      where ${groupMemberships.groupId} = ${filter.groupId}::uuid and ${groupMemberships.organizationId} = ${org}`);
  }
  const onAccounts = where.length > 0;
  const condition = and(eq(accounts.organizationId, organizationId), ...where, ...memberships.map((m) => sql`${accounts.id} in (${m})`))!;
  return { condition, memberships, onAccounts };
}
