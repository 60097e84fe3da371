import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accountLastLoginKey, accounts, connections, externalIdentities, type AccountStatus } from '@/db/schema';
import { builtOnce } from './built-once';
import { getActivityByDay, type ActivityDay } from './console-activity';
import { findConsoleAuditEvents, type ConsoleAuditEvent } from './console-audit';
import { getAccountTotals, type AccountSource } from './console-counts';

/**
 * The console's overview of an organization, every part read at once (in parallel on the pool):
 * accounts by status and source (counters, console-counts.ts), active accounts that never signed
 * in (a partial index), accounts by connection (index-only, the ten largest and the rest),
 * activity per UTC day over the last 30 days (console-activity.ts), and the ten most recent admin
 * actions and sign-in refusals (console-audit.ts, with names).
 */
export type ConnectionAccounts = { connectionId: string; name: string; protocol: 'oidc' | 'saml'; accounts: number };
export type ConsoleOverview = {
  accounts: {
    total: number;
    byStatus: Record<AccountStatus, number>;
    /** Active accounts that never signed in. */
    neverSignedIn: number;
    bySource: Record<AccountSource, number>;
    /** Accounts with a sign-in identity on each connection (an account on two connections counts on both). */
    byConnection: { top: ConnectionAccounts[]; rest: { connections: number; accounts: number } };
  };
  /** The last 30 UTC days, oldest first; the last one is today so far. */
  activity: ActivityDay[];
  /** The 10 most recent actions of admins (console) and the CLI. */
  recentAdminActions: ConsoleAuditEvent[];
  /** The 10 most recent refused sign-ins, with their reason. */
  recentRefusals: (ConsoleAuditEvent & { reason: string | null; detail: string | null })[];
};

export async function getOverview(db: Tx, organizationId: string, now: Date): Promise<ConsoleOverview> {
  const [totals, neverSignedIn, byConnection, activity, admin, refusals] = await Promise.all([
    getAccountTotals(db, organizationId),
    neverSignedInActive(db).execute({ organizationId }),
    accountsByConnection(db).execute({ organizationId }),
    getActivityByDay(db, organizationId, now, 30),
    findConsoleAuditEvents(db, organizationId, { actor: { type: ['admin', 'cli'] }, limit: 10 }),
    findConsoleAuditEvents(db, organizationId, { actions: ['login.rejected'], limit: 10 }),
  ]);
  const top = byConnection.slice(0, 10);
  const rest = byConnection.slice(10);
  return {
    accounts: {
      total: totals.total,
      byStatus: totals.byStatus,
      neverSignedIn: neverSignedIn[0]?.n ?? 0,
      bySource: totals.bySource,
      byConnection: { top, rest: { connections: rest.length, accounts: rest.reduce((n, c) => n + c.accounts, 0) } },
    },
    activity,
    recentAdminActions: admin.rows,
    recentRefusals: refusals.rows.map((r) => ({ ...r, reason: text(r.data?.reason), detail: text(r.data?.detail) })),
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/** Said on the sign-in sort key, as accounts_org_never_signed_in_idx is: an index-only count. */
const neverSignedInActive = builtOnce((db) =>
  db
    .select({ n: sql<number>`count(*)::int` })
    .from(accounts)
    .where(sql`${accounts.organizationId} = ${sql.placeholder('organizationId')}::uuid and ${accounts.status} = 'active'
      and ${accountLastLoginKey(accounts)} = '-infinity'::timestamptz`)
    .prepare('console_never_signed_in_active'),
);

/**
 * Every connection of the organization (none left out for having no accounts), largest first. Each
 * connection's accounts are counted in its own range of external_identities_org_connection_account_idx
 * (index-only), so the identities are read once in all; a join to one grouped count was re-run per
 * connection by the planner.
 */
const accountsByConnection = builtOnce((db) =>
  db
    .select({
      connectionId: connections.id,
      name: connections.name,
      protocol: connections.protocol,
      // Qualified by hand: drizzle writes a one-table select list's columns bare, and a bare "id" here would be the identity's.
      accounts: sql<number>`(select count(distinct e.account_id) from ${externalIdentities} e
        where e.organization_id = ${sql.placeholder('organizationId')}::uuid and e.connection_id = "connections"."id")::int`,
    })
    .from(connections)
    .where(sql`${connections.organizationId} = ${sql.placeholder('organizationId')}::uuid`)
    .orderBy(sql`4 desc`, connections.name, connections.id)
    .prepare('console_accounts_by_connection'),
);
