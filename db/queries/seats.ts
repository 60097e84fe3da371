import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import type { DormancyCutoffs } from '@/lib/policy/dormancy';
import { getAccountTotals } from './console-counts';
import { dormantWhere } from './dormancy';

/**
 * The seat report's figures (lib/governance/seats.ts). Each account is classified once:
 * - active;
 * - of which dormant, by the one definition (dormancy.ts dormantWhere; none without a policy);
 * - of which never signed in, whatever its age: never active, the sweep's "never" (no activity
 *   recorded; a sign-in records activity, and so does an admin's restore, which restarts the clock);
 * - in use: active, neither dormant nor never signed in, so active = in use + dormant + the
 *   never-signed-in ones not dormant yet;
 * - reclaimed: suspended for dormancy since `reclaimedSince`, whatever became of it after.
 *
 * The organization's total is counters and index-only counts (findSeatTotals), so the seat page
 * and the overview answer quickly at 1M accounts; the breakdown per sign-in connection (an account
 * with identities on two connections counts under both; none: key null) and per role in force at
 * `now` (no role: key null) visits every active account (findSeatBreakdown) and streams in after.
 */
export type SeatFigures = { active: number; inUse: number; dormant: number; neverSignedIn: number; reclaimed: number };
export type SeatRow = SeatFigures & { dimension: 'connection' | 'role'; key: string | null; name: string | null };
export type DormantCutoffs = Pick<DormancyCutoffs, 'dormant' | 'neverDormant'>;

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** The overview's Dormant card and the seat report's total: an index-only count on accounts_org_dormancy_activity_idx. */
export async function countDormant(db: Tx, organizationId: string, cutoffs: DormantCutoffs): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from accounts a where a.organization_id = ${organizationId}::uuid and ${dormantWhere(cutoffs)}`);
  return rows[0]?.n ?? 0;
}

/**
 * The organization's figures: the active accounts from the counters (console-counts.ts), dormant
 * ones index-only on accounts_org_dormancy_activity_idx (which carries the columns dormantWhere
 * reads), never-active ones on accounts_org_never_active_idx, the reclaimed on _dormancy_suspended_idx.
 */
export async function findSeatTotals(db: Tx, input: { organizationId: string; cutoffs: DormantCutoffs | null; reclaimedSince: Date }): Promise<SeatFigures> {
  const org = sql`a.organization_id = ${input.organizationId}::uuid`;
  const never = sql`${org} and a.status = 'active' and a.last_activity_at is null`;
  const [totals, rows] = await Promise.all([
    getAccountTotals(db, input.organizationId),
    db.execute<{ dormant: number; never: number; never_dormant: number; reclaimed: number }>(sql`select
      ${input.cutoffs ? sql`(select count(*) from accounts a where ${org} and ${dormantWhere(input.cutoffs)})` : sql`0`}::int as dormant,
      (select count(*) from accounts a where ${never})::int as never,
      ${input.cutoffs ? sql`(select count(*) from accounts a where ${never} and a.created_at <= ${at(input.cutoffs.neverDormant)})` : sql`0`}::int as never_dormant,
      (select count(*) from accounts a where ${org} and a.dormancy_suspended_at >= ${at(input.reclaimedSince)}
        and a.status in ('suspended', 'deprovisioned'))::int as reclaimed`),
  ]);
  const r = rows[0] ?? { dormant: 0, never: 0, never_dormant: 0, reclaimed: 0 };
  const active = totals.byStatus.active;
  return { active, inUse: active - r.dormant - (r.never - r.never_dormant), dormant: r.dormant, neverSignedIn: r.never, reclaimed: r.reclaimed };
}

type Raw = { dimension: SeatRow['dimension']; key: string | null; name: string | null; active: number; in_use: number; dormant: number; never: number; reclaimed: number };

export async function findSeatBreakdown(db: Tx, input: { organizationId: string; cutoffs: DormantCutoffs | null; reclaimedSince: Date; now: Date }): Promise<SeatRow[]> {
  const org = sql`${input.organizationId}::uuid`;
  const since = at(input.reclaimedSince);
  const sums = sql`count(*) filter (where c.active)::int as active, count(*) filter (where c.active and not c.dormant and not c.never)::int as in_use,
    count(*) filter (where c.dormant)::int as dormant, count(*) filter (where c.never)::int as never, count(*) filter (where c.reclaimed)::int as reclaimed`;
  const rows = await db.execute<Raw>(sql`
    with c as materialized (
      select a.id, a.status = 'active' as active,
        ${input.cutoffs ? dormantWhere(input.cutoffs) : sql`false`} as dormant,
        a.status = 'active' and a.last_activity_at is null as never,
        a.status in ('suspended', 'deprovisioned') and a.dormancy_suspended_at >= ${since} as reclaimed
      from accounts a
      where a.organization_id = ${org} and (a.status = 'active' or a.dormancy_suspended_at >= ${since})
    )
    select 'connection' as dimension, ei.connection_id::text as key, min(cn.name) as name, ${sums} from c
      left join external_identities ei on ei.organization_id = ${org} and ei.account_id = c.id
      left join connections cn on cn.id = ei.connection_id and cn.organization_id = ${org}
      group by ei.connection_id
    union all
    select 'role', r.key, min(r.name), ${sums} from c
      left join (select distinct ra.account_id, ra.role_id from role_assignments ra
        where ra.organization_id = ${org} and (ra.expires_at is null or ra.expires_at > ${at(input.now)})) held on held.account_id = c.id
      left join roles r on r.id = held.role_id and r.organization_id = ${org}
      group by r.key`);
  return rows.map((r) => ({ dimension: r.dimension, key: r.key, name: r.name, active: r.active, inUse: r.in_use, dormant: r.dormant, neverSignedIn: r.never, reclaimed: r.reclaimed }));
}
