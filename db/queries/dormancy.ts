import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import type { DormancyAction, DormancyCutoffs } from '@/lib/policy/dormancy';

/**
 * The dormancy sweep's set-based SQL. `classify` is lib/policy/dormancy.ts's decideDormancy written
 * as one CASE over the account row, with the cut-offs that dormancyCutoffs computed from the policy
 * (bound as parameters): the same comparisons, in the same order, so SQL and the pure decision agree
 * (the sweep tests check them against each other at the edges). Accounts are aliased `a`.
 */
export type DormancyScope = { organizationId: string; cutoffs: DormancyCutoffs; exemptRoleKeys: string[]; now: Date };

const at = (d: Date | null) => sql`${d ? d.toISOString() : null}::timestamptz`;

function exemptRole(scope: DormancyScope): SQL {
  if (scope.exemptRoleKeys.length === 0) return sql`false`;
  return sql`exists (select 1 from role_assignments ra join roles r on r.id = ra.role_id and r.organization_id = ra.organization_id
    where ra.organization_id = a.organization_id and ra.account_id = a.id and r.key = any(${`{${scope.exemptRoleKeys.map((k) => JSON.stringify(k)).join(',')}}`}::text[])
      and (ra.expires_at is null or ra.expires_at > ${at(scope.now)}))`;
}

/**
 * The one definition of a dormant account, for every count and list that says "dormant" (the
 * overview's card, the seat report, the dormancy page's Dormant and Warned lists): an active account
 * without activity since the policy's dormant-after, or, never active, created before its
 * never-signed-in threshold. It is the sweep's own test for "anything but none" on an active
 * account (classify, below), exemptions aside: an exempt account is still dormant, it is only not
 * acted on. The first comparison lets the planner use accounts_org_dormancy_activity_idx.
 */
export function dormantWhere(cutoffs: Pick<DormancyCutoffs, 'dormant' | 'neverDormant'>): SQL {
  const loosest = cutoffs.neverDormant.getTime() > cutoffs.dormant.getTime() ? cutoffs.neverDormant : cutoffs.dormant;
  const ref = sql`coalesce(a.last_activity_at, a.created_at)`;
  return sql`(a.status = 'active' and ${ref} <= ${at(loosest)}
    and ${ref} <= (case when a.last_activity_at is null then ${at(cutoffs.neverDormant)} else ${at(cutoffs.dormant)} end))`;
}

export function classify(scope: DormancyScope): SQL {
  const c = scope.cutoffs;
  const never = sql`a.last_activity_at is null`;
  const cut = (signedIn: Date | null, neverIn: Date | null) => sql`(case when ${never} then ${at(neverIn)} else ${at(signedIn)} end)`;
  const warned = sql`(a.dormancy_warned_at is not null and (a.last_activity_at is null or a.last_activity_at <= a.dormancy_warned_at))`;
  const ref = sql`coalesce(a.last_activity_at, a.created_at)`;
  return sql`(case
    when a.dormancy_exempt or ${exemptRole(scope)} then 'none'
    when a.status = 'suspended' and a.dormancy_suspended_at is not null then (case when a.dormancy_suspended_at <= ${at(c.deprovision)} then 'deprovision' else 'none' end)
    when a.status <> 'active' then 'none'
    when ${ref} <= ${cut(c.suspend, c.neverSuspend)} and (${at(c.warnedBy)} is null or (${warned} and a.dormancy_warned_at <= ${at(c.warnedBy)})) then 'suspend'
    when ${ref} <= ${cut(c.warn, c.neverWarn)} then (case when ${warned} then 'dormant' else 'warn' end)
    when ${ref} <= ${cut(c.dormant, c.neverDormant)} then 'dormant'
    else 'none' end)`;
}

/** Only rows that can be anything but 'none' (index: accounts_org_dormancy_activity_idx / _suspended_idx). */
function candidates(scope: DormancyScope): SQL {
  const c = scope.cutoffs;
  const times = [c.dormant, c.warn, c.suspend, c.neverDormant, c.neverWarn, c.neverSuspend].filter((d): d is Date => d !== null);
  const loosest = new Date(Math.max(...times.map((d) => d.getTime())));
  return sql`a.organization_id = ${scope.organizationId}::uuid and not a.dormancy_exempt
    and ((a.status = 'active' and coalesce(a.last_activity_at, a.created_at) <= ${at(loosest)})
      or (a.status = 'suspended' and a.dormancy_suspended_at is not null and a.dormancy_suspended_at <= ${at(c.deprovision)}))`;
}

export type DormancyCandidate = {
  id: string;
  userName: string;
  status: string;
  createdAt: Date;
  lastActivityAt: Date | null;
  dormancyWarnedAt: Date | null;
  dormancySuspendedAt: Date | null;
  action: Exclude<DormancyAction, 'none'>;
};

type RawCandidate = { id: string; user_name: string; status: string; created_at: string; last_activity_at: string | null; dormancy_warned_at: string | null; dormancy_suspended_at: string | null; action: DormancyCandidate['action'] };
const time = (v: string | null) => (v === null ? null : new Date(v));
const toCandidate = (r: RawCandidate): DormancyCandidate => ({
  id: r.id,
  userName: r.user_name,
  status: r.status,
  createdAt: new Date(r.created_at),
  lastActivityAt: time(r.last_activity_at),
  dormancyWarnedAt: time(r.dormancy_warned_at),
  dormancySuspendedAt: time(r.dormancy_suspended_at),
  action: r.action,
});
const candidateColumns = sql`a.id, a.user_name, a.status, a.created_at, a.last_activity_at, a.dormancy_warned_at, a.dormancy_suspended_at`;

/** Every account the policy does something to (dormant flag included), in id order: one scan. */
export async function findDormancyCandidates(db: Tx, scope: DormancyScope): Promise<DormancyCandidate[]> {
  const rows = await db.execute<RawCandidate>(sql`select * from (select ${candidateColumns}, ${classify(scope)} as action from accounts a where ${candidates(scope)}) x
    where x.action <> 'none' order by x.id`);
  return rows.map(toCandidate);
}

/**
 * The accounts of `ids` that still get `action`, locked FOR UPDATE in id order: what a batch acts on
 * (an account that was active again, exempted or changed since the scan drops out here).
 */
export async function lockDormancyBatch(db: Tx, scope: DormancyScope, action: DormancyCandidate['action'], ids: string[]): Promise<DormancyCandidate[]> {
  if (ids.length === 0) return [];
  const rows = await db.execute<RawCandidate>(sql`select ${candidateColumns}, ${action}::text as action from accounts a
    where a.organization_id = ${scope.organizationId}::uuid and a.id = any(${`{${ids.join(',')}}`}::uuid[]) and ${classify(scope)} = ${action}
    order by a.id for update of a`);
  return rows.map(toCandidate);
}

const idArray = (ids: string[]) => `{${ids.join(',')}}`;

/** The dormancy warning (not a profile change: no version bump). */
export async function markDormancyWarned(db: Tx, organizationId: string, ids: string[], now: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.execute<{ id: string }>(sql`update accounts set dormancy_warned_at = ${at(now)}
    where organization_id = ${organizationId}::uuid and id = any(${idArray(ids)}::uuid[]) returning id`);
  return rows.map((r) => r.id);
}

/** Warnings made void by activity since: cleared; returns the accounts with the warning and the activity. */
export async function clearVoidDormancyWarnings(db: Tx, organizationId: string, limit: number) {
  const rows = await db.execute<{ id: string; warned_at: string; last_activity_at: string | null }>(sql`
    with lapsed as (select a.id, a.dormancy_warned_at from accounts a
      where a.organization_id = ${organizationId}::uuid and a.dormancy_warned_at is not null and a.last_activity_at > a.dormancy_warned_at
      order by a.id limit ${limit} for update)
    update accounts a set dormancy_warned_at = null from lapsed
    where a.organization_id = ${organizationId}::uuid and a.id = lapsed.id
    returning a.id, lapsed.dormancy_warned_at as warned_at, a.last_activity_at`);
  return rows.map((r) => ({ id: r.id, warnedAt: new Date(r.warned_at), lastActivityAt: time(r.last_activity_at) }));
}

/** An admin's dormancy exemption of one account; returns the previous value, or null if no such account. */
export async function setDormancyExempt(db: Tx, organizationId: string, id: string, exempt: boolean): Promise<{ before: boolean } | null> {
  const rows = await db.execute<{ before: boolean }>(sql`
    update accounts a set dormancy_exempt = ${exempt} from (select id, dormancy_exempt from accounts where organization_id = ${organizationId}::uuid and id = ${id}::uuid for update) old
    where a.organization_id = ${organizationId}::uuid and a.id = old.id returning old.dormancy_exempt as before`);
  return rows[0] ?? null;
}
