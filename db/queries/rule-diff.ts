import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import type { RuleConditions } from '@/db/schema';
import type { AssignmentRow } from './role-assignments';
import { ruleMatchSql } from './rule-match-sql';

/**
 * What one rule change does to an organization's birthright assignments, in one statement
 * (lib/lifecycle/rules: previews and the set-based apply). A rule's assignments are the birthright
 * rows of `rule:<id>`; after the change they must be exactly one per account the rule then matches:
 * - judged: accounts not deprovisioned; for a rule of one connection, those with an identity on it
 *   (they sign in through it) and those already holding the rule's role through it;
 * - gain: a judged, matching account without that assignment in force (a lapsed one is granted anew);
 * - lose: an assignment of the rule whose account no longer matches, or whose role the change moved.
 * `heldOtherwise`: the account holds the role in force through another source (another rule, a
 * group, a connection's default, a manual grant), so its access does not actually change.
 */
/** `roleKey`: names the role in rows when it does not exist yet (a preview of a rule that creates its role). */
export type RuleState = { roleId: string; roleKey?: string; connectionId: string | null; conditions: RuleConditions; enabled: boolean };
export type RuleDiffInput = { organizationId: string; ruleId: string; after: RuleState | null; now: Date };
export type RuleDiffRow = { accountId: string; userName: string; displayName: string | null; roleId: string; roleKey: string; heldOtherwise: boolean };
export type RuleDiffSummary = { gain: number; lose: number; gainRole: number; loseRole: number; accounts: number; gainRows: RuleDiffRow[]; loseRows: RuleDiffRow[] };

function diffCtes(input: RuleDiffInput): SQL {
  const org = sql`${input.organizationId}::uuid`;
  const ref = sql`${`rule:${input.ruleId}`}::text`;
  const now = sql`${input.now.toISOString()}::timestamptz`;
  const after = input.after?.enabled ? input.after : null;
  const role = sql`${after?.roleId ?? null}::uuid`;
  const judged = after?.connectionId
    ? sql`(exists (select 1 from external_identities ei where ei.organization_id = a.organization_id and ei.connection_id = ${after.connectionId}::uuid and ei.account_id = a.id)
        or exists (select 1 from cur c where c.account_id = a.id and c.role_id = ${role}))`
    : sql`true`;
  const desired = after
    ? sql`select a.id as account_id, a.user_name, a.display_name from accounts a
        where a.organization_id = ${org} and a.status <> 'deprovisioned' and ${judged} and ${ruleMatchSql(after.conditions)}`
    : sql`select null::uuid as account_id, null::text as user_name, null::text as display_name where false`;
  return sql`cur as materialized (
      select ra.id, ra.account_id, ra.role_id, ra.source, ra.source_ref, ra.expires_at from role_assignments ra
      where ra.organization_id = ${org} and ra.source = 'birthright' and ra.source_ref = ${ref}),
    des as materialized (${desired}),
    gain as (
      select d.account_id, d.user_name, d.display_name, ${role} as role_id from des d
      where not exists (select 1 from cur c where c.account_id = d.account_id and c.role_id = ${role} and (c.expires_at is null or c.expires_at > ${now}))),
    lose as (
      select c.id, c.account_id, c.role_id, c.source, c.source_ref, c.expires_at from cur c
      where c.role_id is distinct from ${role} or not exists (select 1 from des d where d.account_id = c.account_id)),
    judged_rows as (
      select 'gain' as kind, g.account_id, g.role_id from gain g
      union all select 'lose', l.account_id, l.role_id from lose l),
    other as (
      select distinct o.account_id, o.role_id from role_assignments o
      where o.organization_id = ${org} and o.role_id in (select distinct role_id from judged_rows)
        and not (o.source = 'birthright' and o.source_ref = ${ref}) and (o.expires_at is null or o.expires_at > ${now})),
    flagged as (
      select j.kind, j.account_id, j.role_id, o.account_id is not null as held_otherwise
      from judged_rows j left join other o on o.account_id = j.account_id and o.role_id = j.role_id)`;
}

/** Counts (exact) and the first `limit` accounts that gain and lose, by user name. */
export async function summarizeRuleDiff(db: Tx, input: RuleDiffInput, limit: number): Promise<RuleDiffSummary> {
  const rows = (list: string) => sql`coalesce((select json_agg(json_build_object('accountId', x.account_id, 'userName', x.user_name, 'displayName', x.display_name,
      'roleId', x.role_id, 'roleKey', x.role_key, 'heldOtherwise', x.held_otherwise) order by x.user_name, x.account_id) from (
      select f.account_id, a.user_name, a.display_name, f.role_id, coalesce(r.key, ${input.after?.roleKey ?? null}::text) as role_key, f.held_otherwise
      from flagged f join accounts a on a.id = f.account_id and a.organization_id = ${input.organizationId}::uuid left join roles r on r.id = f.role_id
      where f.kind = ${list} order by a.user_name, f.account_id limit ${limit}) x), '[]'::json)`;
  const [row] = (await db.execute(sql`with ${diffCtes(input)}
    select
      (select count(*) from flagged where kind = 'gain')::int as gain,
      (select count(*) from flagged where kind = 'lose')::int as lose,
      (select count(*) from flagged where kind = 'gain' and not held_otherwise)::int as gain_role,
      (select count(*) from flagged where kind = 'lose' and not held_otherwise)::int as lose_role,
      (select count(distinct account_id) from flagged)::int as accounts,
      ${rows('gain')} as gain_rows, ${rows('lose')} as lose_rows`)) as unknown as Record<string, unknown>[];
  return {
    gain: Number(row!.gain),
    lose: Number(row!.lose),
    gainRole: Number(row!.gain_role),
    loseRole: Number(row!.lose_role),
    accounts: Number(row!.accounts),
    gainRows: row!.gain_rows as RuleDiffRow[],
    loseRows: row!.lose_rows as RuleDiffRow[],
  };
}

/** Every change, for the apply: the accounts to grant the rule's role to, and the assignments to revoke. */
export async function findRuleDiff(db: Tx, input: RuleDiffInput): Promise<{ grantTo: string[]; revoke: AssignmentRow[]; current: AssignmentRow[] }> {
  const rows = (await db.execute(sql`with ${diffCtes(input)}
    select 'gain' as kind, null::uuid as id, g.account_id, g.role_id, null::text as source, null::text as source_ref, null::timestamptz as expires_at from gain g
    union all select 'lose', l.id, l.account_id, l.role_id, l.source::text, l.source_ref, l.expires_at from lose l
    union all select 'cur', c.id, c.account_id, c.role_id, c.source::text, c.source_ref, c.expires_at from cur c`)) as unknown as Record<string, unknown>[];
  const toRow = (r: Record<string, unknown>): AssignmentRow => ({
    id: String(r.id),
    accountId: String(r.account_id),
    roleId: String(r.role_id),
    source: 'birthright',
    sourceRef: String(r.source_ref),
    expiresAt: r.expires_at === null ? null : new Date(String(r.expires_at)),
  });
  return {
    grantTo: rows.filter((r) => r.kind === 'gain').map((r) => String(r.account_id)),
    revoke: rows.filter((r) => r.kind === 'lose').map(toRow),
    current: rows.filter((r) => r.kind === 'cur').map(toRow),
  };
}
