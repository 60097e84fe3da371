import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accountCounts, accountSourceEnum, accountStatusEnum, type AccountStatus } from '@/db/schema';
import { builtOnce } from './built-once';

export type AccountSource = (typeof accountSourceEnum.enumValues)[number];

/**
 * The organization's accounts by status and source, deprovisioned ones included: sums of the 256
 * account_counts rows the accounts trigger keeps (migrations 0015, 0025), exact as of the statement's
 * snapshot, instead of counting a million rows. `count` answers any statuses and sources.
 */
export type AccountTotals = {
  total: number;
  byStatus: Record<AccountStatus, number>;
  bySource: Record<AccountSource, number>;
  /** Accounts of any of these statuses (all: none given) and of any of these sources (likewise). */
  count: (statuses?: readonly AccountStatus[], sources?: readonly AccountSource[]) => number;
};

const statuses = accountStatusEnum.enumValues;
const sources = accountSourceEnum.enumValues;
const cell = (status: AccountStatus, source: AccountSource) => `${status}_${source}`;

export async function getAccountTotals(db: Tx, organizationId: string): Promise<AccountTotals> {
  const [row] = await totalsQuery(db).execute({ organizationId });
  const cells = new Map(statuses.flatMap((st) => sources.map((so) => [cell(st, so), Number(row?.[cell(st, so)] ?? 0)] as const)));
  const count = (wantedStatuses: readonly AccountStatus[] = statuses, wantedSources: readonly AccountSource[] = sources) => {
    let n = 0;
    for (const st of new Set(wantedStatuses)) for (const so of new Set(wantedSources)) n += cells.get(cell(st, so)) ?? 0;
    return n;
  };
  return {
    total: count(),
    byStatus: Object.fromEntries(statuses.map((st) => [st, count([st])])) as Record<AccountStatus, number>,
    bySource: Object.fromEntries(sources.map((so) => [so, count(undefined, [so])])) as Record<AccountSource, number>,
    count,
  };
}

/** One sum per (status, source) column, named `<status>_<source>` as the columns are. */
const totalsQuery = builtOnce((db) =>
  db
    .select(Object.fromEntries(statuses.flatMap((st) => sources.map((so) => [cell(st, so), sql<string | null>`sum(${sql.identifier(cell(st, so))})`]))))
    .from(accountCounts)
    .where(eq(accountCounts.organizationId, sql.placeholder('organizationId')))
    .prepare('console_account_totals'),
);
