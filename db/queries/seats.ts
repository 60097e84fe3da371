import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';

/**
 * The seat report's figures (lib/governance/seats.ts) in one set-based statement: each account is
 * classified once (active, of which dormant or never signed in; reclaimed: suspended for dormancy
 * since `reclaimedSince`, whatever became of it after), then summed for the organization, per
 * sign-in connection (an account with identities on two connections counts under both; none:
 * key null) and per role in force at `now` (no role: key null).
 */
export type SeatFigures = { active: number; dormant: number; neverSignedIn: number; reclaimed: number };
export type SeatRow = SeatFigures & { dimension: 'total' | 'connection' | 'role'; key: string | null; name: string | null };

type Raw = { dimension: SeatRow['dimension']; key: string | null; name: string | null; active: number; dormant: number; never: number; reclaimed: number };

export async function findSeatFigures(db: Tx, input: { organizationId: string; dormantBefore: Date | null; reclaimedSince: Date; now: Date }): Promise<SeatRow[]> {
  const org = sql`${input.organizationId}::uuid`;
  const dormantBefore = sql`${input.dormantBefore?.toISOString() ?? null}::timestamptz`;
  const sums = sql`count(*) filter (where c.active)::int as active, count(*) filter (where c.dormant)::int as dormant,
    count(*) filter (where c.never)::int as never, count(*) filter (where c.reclaimed)::int as reclaimed`;
  const rows = await db.execute<Raw>(sql`
    with c as materialized (
      select a.id, a.status = 'active' as active,
        a.status = 'active' and a.first_login_at is not null and coalesce(a.last_activity_at, a.created_at) <= ${dormantBefore} as dormant,
        a.status = 'active' and a.first_login_at is null as never,
        a.status in ('suspended', 'deprovisioned') and a.dormancy_suspended_at >= ${input.reclaimedSince.toISOString()}::timestamptz as reclaimed
      from accounts a
      where a.organization_id = ${org} and (a.status = 'active' or (a.dormancy_suspended_at >= ${input.reclaimedSince.toISOString()}::timestamptz))
    )
    select 'total' as dimension, null::text as key, null::text as name, ${sums} from c
    union all
    select 'connection', ei.connection_id::text, min(cn.name), ${sums} from c
      left join external_identities ei on ei.organization_id = ${org} and ei.account_id = c.id
      left join connections cn on cn.id = ei.connection_id and cn.organization_id = ${org}
      group by ei.connection_id
    union all
    select 'role', r.key, min(r.name), ${sums} from c
      left join (select distinct ra.account_id, ra.role_id from role_assignments ra
        where ra.organization_id = ${org} and (ra.expires_at is null or ra.expires_at > ${input.now.toISOString()}::timestamptz)) held on held.account_id = c.id
      left join roles r on r.id = held.role_id and r.organization_id = ${org}
      group by r.key`);
  return rows.map((r) => ({ dimension: r.dimension, key: r.key, name: r.name, active: r.active, dormant: r.dormant, neverSignedIn: r.never, reclaimed: r.reclaimed }));
}
