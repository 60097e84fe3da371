import { sql } from 'drizzle-orm';
import type { Tx } from '@/db';

/**
 * Roles and who holds them and how (the CLI's `role list|holders`, later the console's roles page).
 * "Holds" is as everywhere a role is read: an assignment in force (no expiry, or one still ahead).
 */
export type RoleSummary = {
  id: string;
  key: string;
  name: string;
  description: string | null;
  holders: number;
  bySource: { birthright: number; group: number; manual: number };
  rules: string[];
  groups: string[];
  defaultOf: string[];
};

export async function findRoleSummaries(db: Tx, organizationId: string, now: Date): Promise<RoleSummary[]> {
  const rows = (await db.execute(sql`
    select r.id, r.key, r.name, r.description,
      (select count(distinct ra.account_id) from role_assignments ra where ra.organization_id = r.organization_id and ra.role_id = r.id and (ra.expires_at is null or ra.expires_at > ${now.toISOString()}::timestamptz))::int as holders,
      (select json_build_object(
          'birthright', count(distinct ra.account_id) filter (where ra.source = 'birthright'),
          'group', count(distinct ra.account_id) filter (where ra.source = 'group'),
          'manual', count(distinct ra.account_id) filter (where ra.source = 'manual'))
        from role_assignments ra where ra.organization_id = r.organization_id and ra.role_id = r.id and (ra.expires_at is null or ra.expires_at > ${now.toISOString()}::timestamptz)) as by_source,
      coalesce((select json_agg(ar.name order by ar.created_at) from attribute_rules ar where ar.organization_id = r.organization_id and ar.role_id = r.id), '[]') as rules,
      coalesce((select json_agg(g.display_name order by g.display_name) from groups g where g.organization_id = r.organization_id and g.role_id = r.id), '[]') as groups,
      coalesce((select json_agg(c.name order by c.name) from connections c where c.organization_id = r.organization_id and r.key = any(c.default_roles)), '[]') as default_of
    from roles r where r.organization_id = ${organizationId}::uuid order by r.key`)) as unknown as Record<string, unknown>[];
  return rows.map((r) => ({
    id: String(r.id),
    key: String(r.key),
    name: String(r.name),
    description: (r.description as string | null) ?? null,
    holders: Number(r.holders),
    bySource: r.by_source as RoleSummary['bySource'],
    rules: r.rules as string[],
    groups: r.groups as string[],
    defaultOf: r.default_of as string[],
  }));
}

/** One way an account holds a role: through a rule (named), a group (named), a connection's default (named), or by hand. */
export type RoleHolding = {
  accountId: string;
  userName: string;
  displayName: string | null;
  status: string;
  source: 'birthright' | 'group' | 'manual';
  sourceRef: string;
  /** rule, default (a connection's default role), group or manual */
  via: 'rule' | 'default' | 'group' | 'manual';
  viaName: string | null;
  grantedBy: string | null;
  grantedAt: Date;
  expiresAt: Date | null;
};

/** Who holds a role and how, in force, by user name (one row per way); `limit` rows after `offset`. */
export async function findRoleHoldings(db: Tx, organizationId: string, roleId: string, now: Date, page: { limit: number; offset: number }): Promise<{ total: number; accounts: number; rows: RoleHolding[] }> {
  const inForce = sql`ra.organization_id = ${organizationId}::uuid and ra.role_id = ${roleId}::uuid and (ra.expires_at is null or ra.expires_at > ${now.toISOString()}::timestamptz)`;
  const [counts] = (await db.execute(sql`select count(*)::int as total, count(distinct ra.account_id)::int as accounts from role_assignments ra where ${inForce}`)) as unknown as { total: number; accounts: number }[];
  const rows = (await db.execute(sql`
    select ra.account_id, a.user_name, a.display_name, a.status, ra.source, ra.source_ref, ra.granted_by, ra.granted_at, ra.expires_at,
      case when ra.source = 'group' then 'group' when ra.source = 'manual' then 'manual' when ra.source_ref like 'connection:%' then 'default' else 'rule' end as via,
      case
        when ra.source_ref like 'rule:%' then (select ar.name from attribute_rules ar where ar.organization_id = ra.organization_id and ar.id::text = substr(ra.source_ref, 6))
        when ra.source_ref like 'group:%' then (select g.display_name from groups g where g.organization_id = ra.organization_id and g.id::text = substr(ra.source_ref, 7))
        when ra.source_ref like 'connection:%' then (select c.name from connections c where c.organization_id = ra.organization_id and c.id::text = substr(ra.source_ref, 12))
      end as via_name
    from role_assignments ra join accounts a on a.id = ra.account_id and a.organization_id = ra.organization_id
    where ${inForce}
    order by lower(a.user_name), ra.source, ra.source_ref
    limit ${page.limit} offset ${page.offset}`)) as unknown as Record<string, unknown>[];
  return {
    total: counts?.total ?? 0,
    accounts: counts?.accounts ?? 0,
    rows: rows.map((r) => ({
      accountId: String(r.account_id),
      userName: String(r.user_name),
      displayName: (r.display_name as string | null) ?? null,
      status: String(r.status),
      source: r.source as RoleHolding['source'],
      sourceRef: String(r.source_ref),
      via: r.via as RoleHolding['via'],
      viaName: (r.via_name as string | null) ?? null,
      grantedBy: (r.granted_by as string | null) ?? null,
      grantedAt: new Date(String(r.granted_at)),
      expiresAt: r.expires_at === null ? null : new Date(String(r.expires_at)),
    })),
  };
}

/** The organization's groups: SCIM groups (members, the role they give) and the groups sign-ins sent (accounts carrying each). */
export type GroupSummary = { source: 'scim' | 'sign-in'; id: string | null; name: string; members: number; roleKey: string | null; externalId: string | null };

export async function findGroupSummaries(db: Tx, organizationId: string): Promise<GroupSummary[]> {
  const rows = (await db.execute(sql`
    select 'scim' as source, g.id::text as id, g.display_name as name, g.external_id,
      (select count(*) from group_memberships gm where gm.organization_id = g.organization_id and gm.group_id = g.id)::int as members,
      (select r.key from roles r where r.id = g.role_id) as role_key
    from groups g where g.organization_id = ${organizationId}::uuid
    union all
    select 'sign-in', null, lg.name, null, count(*)::int, null
    from accounts a cross join lateral unnest(a.login_groups) lg(name)
    where a.organization_id = ${organizationId}::uuid and a.status <> 'deprovisioned' and lg.name is not null and lg.name <> ''
    group by lg.name
    order by 1, 3`)) as unknown as Record<string, unknown>[];
  return rows.map((r) => ({
    source: r.source as GroupSummary['source'],
    id: (r.id as string | null) ?? null,
    name: String(r.name),
    members: Number(r.members),
    roleKey: (r.role_key as string | null) ?? null,
    externalId: (r.external_id as string | null) ?? null,
  }));
}
