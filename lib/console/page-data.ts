import type { Tx } from '@/db';
import { findAuditEvents } from '@/db/queries/audit-events';
import { findConnectionsByOrganization } from '@/db/queries/connections';
import { findConsoleAccountsStreamed } from '@/db/queries/console-accounts';
import { findConsoleAuditEvents } from '@/db/queries/console-audit';
import { getOverview } from '@/db/queries/console-overview';
import { getDormancyPolicy } from '@/db/queries/dormancy-policies';
import { countDormantAccounts } from '@/db/queries/dormancy-list';
import { findPrivilegedPeople } from '@/db/queries/console-people';
import { findGroupOptions } from '@/db/queries/groups';
import { findNames } from '@/db/queries/names';
import { findRoles } from '@/db/queries/roles';
import { getAccountView } from '@/lib/lifecycle/account/account-view';
import type { AccountListParams } from './account-list-params';
import type { AuditListParams } from './audit-list-params';
import { describeEvents } from './describe-events';

/**
 * What each console page reads, one function per page: the pages render it, and `npm run bench
 * -- --case console` times exactly these at 1M accounts (the bar: first render under 300 ms
 * of server time).
 */
export async function loadOverviewPage(db: Tx, organizationId: string, now: Date) {
  const [overview, dormant] = await Promise.all([getOverview(db, organizationId, now), getDormantCount(db, organizationId, now)]);
  const [actions, refusals] = await Promise.all([describeEvents(db, organizationId, overview.recentAdminActions), describeEvents(db, organizationId, overview.recentRefusals)]);
  return { overview, dormant, actions, refusals };
}

/** The overview's Dormant card: null without a policy (nothing counts as dormant then). */
async function getDormantCount(db: Tx, organizationId: string, now: Date) {
  const policy = await getDormancyPolicy(db, organizationId);
  if (!policy) return null;
  return { count: await countDormantAccounts(db, organizationId, policy, now), afterDays: policy.dormantAfterDays };
}

/** The page's first render; `total` streams in after it (findConsoleAccountsStreamed). */
export async function loadAccountsPage(db: Tx, organizationId: string, params: AccountListParams) {
  const [{ page, total }, connections, roles, groups] = await Promise.all([
    findConsoleAccountsStreamed(db, organizationId, { ...params.filter, sort: params.sort, limit: params.limit, cursor: params.cursor, direction: params.direction }),
    findConnectionsByOrganization(db, organizationId),
    findRoles(db, organizationId),
    findGroupOptions(db, organizationId, 200),
  ]);
  return { page, total, connections, roles, groups };
}

/** Throws AppError not_found for an account that is not the organization's. */
export async function loadAccountPage(db: Tx, organizationId: string, accountId: string) {
  const [view, roles, events] = await Promise.all([getAccountView(db, organizationId, accountId), findRoles(db, organizationId), findAuditEvents(db, organizationId, { targetId: accountId, limit: 100 })]);
  return { view, roles, events: await describeEvents(db, organizationId, events) };
}

export const AUDIT_PAGE_SIZE = 50;

export async function loadAuditPage(db: Tx, organizationId: string, params: AuditListParams) {
  const page = await findConsoleAuditEvents(db, organizationId, { ...params.query, limit: AUDIT_PAGE_SIZE, cursor: params.cursor, direction: params.direction });
  return { page, events: await describeEvents(db, organizationId, page.rows) };
}

export async function loadPeoplePage(db: Tx, organizationId: string) {
  const holders = await findPrivilegedPeople(db, organizationId);
  const names = await findNames(db, organizationId, { accounts: holders.map((h) => h.grantedBy ?? '') });
  return { holders, names };
}
