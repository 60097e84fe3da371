import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import type { AssignmentRow } from './role-assignments';
import type { RuleDiffRow, RuleDiffSummary } from './rule-diff';

/**
 * What mapping a SCIM group to a role (or to none) does to its members, in one statement
 * (lib/lifecycle/group/change-group-role.ts: the preview and the apply run the same CTEs). A
 * group's assignments are the rows of source `group`, `group:<id>`; after the change they must be
 * exactly one per member (not deprovisioned) for the new role, none without one:
 * - gain: a member without that assignment in force;
 * - lose: an assignment of the group whose role is not the new one, or whose account left it.
 * `heldOtherwise`: the account holds the role in force through another source (a rule, another
 * group, a connection's default, a manual grant), which stays: its access does not change.
 * The row shapes are the rule diff's (db/queries/rule-diff.ts), so both previews read alike.
 */
export type GroupRoleDiffInput = { organizationId: string; groupId: string; roleId: string | null; now: Date };

function diffCtes(input: GroupRoleDiffInput): SQL {
  const org = sql`${input.organizationId}::uuid`;
  const ref = sql`${`group:${input.groupId}`}::text`;
  const now = sql`${input.now.toISOString()}::timestamptz`;
  const role = sql`${input.roleId}::uuid`;
  return sql`cur as materialized (
      select ra.id, ra.account_id, ra.role_id, ra.source, ra.source_ref, ra.expires_at from role_assignments ra
      where ra.organization_id = ${org} and ra.source = 'group' and ra.source_ref = ${ref}),
    des as materialized (
      select a.id as account_id from group_memberships gm
      join accounts a on a.id = gm.account_id and a.organization_id = gm.organization_id
      where gm.organization_id = ${org} and gm.group_id = ${input.groupId}::uuid and a.status <> 'deprovisioned' and ${role} is not null),
    gain as (
      select d.account_id, ${role} as role_id from des d
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
        and not (o.source = 'group' and o.source_ref = ${ref}) and (o.expires_at is null or o.expires_at > ${now})),
    flagged as (
      select j.kind, j.account_id, j.role_id, o.account_id is not null as held_otherwise
      from judged_rows j left join other o on o.account_id = j.account_id and o.role_id = j.role_id)`;
}

/** Counts (exact) and the first `limit` accounts that gain and lose, by user name. */
export async function summarizeGroupRoleDiff(db: Tx, input: GroupRoleDiffInput, limit: number): Promise<RuleDiffSummary> {
  const rows = (list: string) => sql`coalesce((select json_agg(json_build_object('accountId', x.account_id, 'userName', x.user_name, 'displayName', x.display_name,
      'roleId', x.role_id, 'roleKey', x.role_key, 'heldOtherwise', x.held_otherwise) order by x.user_name, x.account_id) from (
      select f.account_id, a.user_name, a.display_name, f.role_id, r.key as role_key, f.held_otherwise
      from flagged f join accounts a on a.id = f.account_id and a.organization_id = ${input.organizationId}::uuid
      join roles r on r.id = f.role_id and r.organization_id = ${input.organizationId}::uuid
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

/** Every change, for the apply: the members to grant the role to, the assignments to revoke, and the group's current ones. */
export async function findGroupRoleDiff(db: Tx, input: GroupRoleDiffInput): Promise<{ grantTo: string[]; revoke: AssignmentRow[]; current: AssignmentRow[] }> {
  const rows = (await db.execute(sql`with ${diffCtes(input)}
    select 'gain' as kind, null::uuid as id, g.account_id, g.role_id, null::text as source_ref, null::timestamptz as expires_at from gain g
    union all select 'lose', l.id, l.account_id, l.role_id, l.source_ref, l.expires_at from lose l
    union all select 'cur', c.id, c.account_id, c.role_id, c.source_ref, c.expires_at from cur c`)) as unknown as Record<string, unknown>[];
  const toRow = (r: Record<string, unknown>): AssignmentRow => ({
    id: String(r.id),
    accountId: String(r.account_id),
    roleId: String(r.role_id),
    source: 'group',
    sourceRef: String(r.source_ref),
    expiresAt: r.expires_at === null ? null : new Date(String(r.expires_at)),
  });
  return {
    grantTo: rows.filter((r) => r.kind === 'gain').map((r) => String(r.account_id)),
    revoke: rows.filter((r) => r.kind === 'lose').map(toRow),
    current: rows.filter((r) => r.kind === 'cur').map(toRow),
  };
}
