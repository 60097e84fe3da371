import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import type { DormancyPolicyRow } from '@/db/queries/dormancy-policies';
import { dormancyCutoffs } from '@/lib/policy/dormancy';
import { dormantWhere } from './dormancy';
import { countDormant } from './seats';

/**
 * The dormancy page's list: the organization's accounts in one of three groups, a page at a time
 * (keyset on the group's time, then id), with the size of every group. Set-based and org-scoped on
 * the dormancy indexes (migration 0019):
 * - `dormant`: active, no activity since the policy's dormant-after (never signed in: its own
 *   threshold, as the sweep reads it), no warning in force: dormant, not acted on yet;
 * - `warned`: active with a warning in force (no activity since it): suspension comes next;
 * - `suspended`: suspended for dormancy (dormancy_suspended_at): deprovisioning comes next.
 * Exempt accounts (the account's flag or an exempt role held now) are listed, marked.
 */
export const DORMANT_GROUPS = ['dormant', 'warned', 'suspended'] as const;
export type DormantGroup = (typeof DORMANT_GROUPS)[number];

export type DormantAccount = {
  id: string;
  userName: string;
  displayName: string | null;
  lastActivityAt: Date | null;
  createdAt: Date;
  dormancyWarnedAt: Date | null;
  dormancySuspendedAt: Date | null;
  exempt: boolean;
};

export type DormantList = { group: DormantGroup; rows: DormantAccount[]; counts: Record<DormantGroup, number>; nextCursor: string | null };

type Raw = { id: string; user_name: string; display_name: string | null; last_activity_at: string | null; created_at: string; dormancy_warned_at: string | null; dormancy_suspended_at: string | null; exempt: boolean; sort_at: string };

const at = (d: Date | null) => sql`${d ? d.toISOString() : null}::timestamptz`;
const time = (v: string | null) => (v === null ? null : new Date(v));

function groupSql(input: { organizationId: string; policy: Pick<DormancyPolicyRow, 'dormantAfterDays' | 'suspendAfterDays' | 'deprovisionAfterDays' | 'neverSignedInAfterDays' | 'warnBeforeDays'>; now: Date }) {
  const c = dormancyCutoffs(input.policy, input.now);
  const org = sql`a.organization_id = ${input.organizationId}::uuid`;
  const warned = sql`(a.dormancy_warned_at is not null and (a.last_activity_at is null or a.last_activity_at <= a.dormancy_warned_at))`;
  return {
    dormant: { where: sql`${org} and ${dormantWhere(c)} and not ${warned}`, sortAt: sql`coalesce(a.last_activity_at, a.created_at)` },
    warned: { where: sql`${org} and a.status = 'active' and ${warned}`, sortAt: sql`a.dormancy_warned_at` },
    suspended: { where: sql`${org} and a.status = 'suspended' and a.dormancy_suspended_at is not null`, sortAt: sql`a.dormancy_suspended_at` },
  } satisfies Record<DormantGroup, { where: SQL; sortAt: SQL }>;
}

function exemptSql(organizationId: string, keys: string[], now: Date): SQL {
  if (keys.length === 0) return sql`a.dormancy_exempt`;
  return sql`(a.dormancy_exempt or exists (select 1 from role_assignments ra join roles r on r.id = ra.role_id and r.organization_id = ra.organization_id
    where ra.organization_id = ${organizationId}::uuid and ra.account_id = a.id and r.key = any(${`{${keys.map((k) => JSON.stringify(k)).join(',')}}`}::text[])
      and (ra.expires_at is null or ra.expires_at > ${at(now)})))`;
}

/** `cursor`: the previous page's nextCursor ("<iso time>|<id>"). */
export async function findDormantAccounts(
  db: Tx,
  input: { organizationId: string; policy: DormancyPolicyRow; now: Date; group: DormantGroup; limit: number; after: string | null },
): Promise<DormantList> {
  const groups = groupSql(input);
  const g = groups[input.group];
  const [afterAt, afterId] = input.after?.split('|') ?? [];
  const keyset = afterAt && afterId && /^\d{4}-\d\d-\d\d[ T][\d:.]+(Z|[+-]\d\d(:?\d\d)?)?$/.test(afterAt) && /^[0-9a-f-]{36}$/i.test(afterId) ? sql`and (${g.sortAt}, a.id) > (${afterAt}::timestamptz, ${afterId}::uuid)` : sql``;
  const [rows, counts] = await Promise.all([
    db.execute<Raw>(sql`select a.id, a.user_name, a.display_name, a.last_activity_at, a.created_at, a.dormancy_warned_at, a.dormancy_suspended_at,
        ${exemptSql(input.organizationId, input.policy.exemptRoleKeys, input.now)} as exempt, (${g.sortAt})::text as sort_at
      from accounts a where ${g.where} ${keyset} order by ${g.sortAt}, a.id limit ${input.limit + 1}`),
    db.execute<Record<DormantGroup, number>>(sql`select
      (select count(*)::int from accounts a where ${groups.dormant.where}) as dormant,
      (select count(*)::int from accounts a where ${groups.warned.where}) as warned,
      (select count(*)::int from accounts a where ${groups.suspended.where}) as suspended`),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    group: input.group,
    rows: page.map((r) => ({
      id: r.id,
      userName: r.user_name,
      displayName: r.display_name,
      lastActivityAt: time(r.last_activity_at),
      createdAt: new Date(r.created_at),
      dormancyWarnedAt: time(r.dormancy_warned_at),
      dormancySuspendedAt: time(r.dormancy_suspended_at),
      exempt: r.exempt,
    })),
    counts: counts[0] ?? { dormant: 0, warned: 0, suspended: 0 },
    nextCursor: rows.length > input.limit && last ? `${last.sort_at}|${last.id}` : null,
  };
}

/**
 * The overview's Dormant card: the policy's dormant accounts (dormantWhere: the seat report's
 * Dormant, the dormancy page's Dormant and Warned lists together), counted index-only (seats.ts).
 */
export async function countDormantAccounts(db: Tx, organizationId: string, policy: DormancyPolicyRow, now: Date): Promise<number> {
  return countDormant(db, organizationId, dormancyCutoffs(policy, now));
}
