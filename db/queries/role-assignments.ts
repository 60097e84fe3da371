import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, roleAssignments, roles } from '@/db/schema';
import { builtOnce } from './built-once';

/**
 * The data layer of the access gate (lib/lifecycle/access/gate.ts): nothing else writes role
 * assignments. Rows go as one JSON parameter, so each write is one prepared statement, built once.
 */
export type AssignmentSource = 'birthright' | 'group' | 'manual';
export type AssignmentRow = { id: string; accountId: string; roleId: string; source: AssignmentSource; sourceRef: string; expiresAt: Date | null };
export type AssignmentWrite = {
  organizationId: string;
  accountId: string;
  roleId: string;
  source: AssignmentSource;
  sourceRef: string;
  grantedBy: string | null;
  grantedAt: Date;
  expiresAt: Date | null;
};

const rowColumns = {
  id: roleAssignments.id,
  accountId: roleAssignments.accountId,
  roleId: roleAssignments.roleId,
  source: roleAssignments.source,
  sourceRef: roleAssignments.sourceRef,
  expiresAt: roleAssignments.expiresAt,
};

/** The assignments of these accounts (lapsed ones included: the gate decides), optionally of one source. */
export async function findAssignments(db: Tx, organizationId: string, accountIds: string[], source?: AssignmentSource): Promise<AssignmentRow[]> {
  if (accountIds.length === 0) return [];
  if (accountIds.length === 1 && !source) return assignmentsOfAccount(db).execute({ organizationId, accountId: accountIds[0] });
  return db
    .select(rowColumns)
    .from(roleAssignments)
    .where(and(eq(roleAssignments.organizationId, organizationId), inArray(roleAssignments.accountId, accountIds), source ? eq(roleAssignments.source, source) : undefined));
}

const assignmentsOfAccount = builtOnce((db) =>
  db
    .select(rowColumns)
    .from(roleAssignments)
    .where(and(eq(roleAssignments.organizationId, sql.placeholder('organizationId')), eq(roleAssignments.accountId, sql.placeholder('accountId'))))
    .prepare('assignments_of_account'),
);

/** The birthright assignments a connection's default roles gave (`connection:<id>`). */
export async function findConnectionDefaultAssignments(db: Tx, organizationId: string, connectionId: string): Promise<AssignmentRow[]> {
  return db
    .select(rowColumns)
    .from(roleAssignments)
    .where(and(eq(roleAssignments.organizationId, organizationId), eq(roleAssignments.source, 'birthright'), eq(roleAssignments.sourceRef, `connection:${connectionId}`)));
}

/** The assignments a group gave (source group, `group:<id>`), to some of its members or all. */
export async function findGroupAssignments(db: Tx, organizationId: string, groupId: string, accountIds: string[] | 'all'): Promise<AssignmentRow[]> {
  if (accountIds !== 'all' && accountIds.length === 0) return [];
  return db
    .select(rowColumns)
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.organizationId, organizationId),
        eq(roleAssignments.source, 'group'),
        eq(roleAssignments.sourceRef, `group:${groupId}`),
        accountIds === 'all' ? undefined : inArray(roleAssignments.accountId, accountIds),
      ),
    );
}

/**
 * Writes grants: new rows, and rows already there (a lapsed grant granted again, a new expiry)
 * overwritten with what the gate decided. Returns the rows as written.
 */
export async function upsertAssignments(db: Tx, rows: AssignmentWrite[]): Promise<AssignmentRow[]> {
  if (rows.length === 0) return [];
  const json = rows.map((r) => ({
    organization_id: r.organizationId,
    account_id: r.accountId,
    role_id: r.roleId,
    source: r.source,
    source_ref: r.sourceRef,
    granted_by: r.grantedBy,
    granted_at: r.grantedAt,
    expires_at: r.expiresAt,
  }));
  return assignmentsUpsert(db).execute({ rows: JSON.stringify(json) });
}

const assignmentsUpsert = builtOnce((db) => {
  const written = db.$with('written', rowColumns).as(sql`
    insert into ${roleAssignments} (organization_id, account_id, role_id, source, source_ref, granted_by, granted_at, expires_at)
    select r.organization_id, r.account_id, r.role_id, r.source, r.source_ref, r.granted_by, r.granted_at, r.expires_at
    from jsonb_populate_recordset(null::role_assignments, ${sql.placeholder('rows')}::jsonb) r
    on conflict (account_id, role_id, source, source_ref) do update
      set granted_by = excluded.granted_by, granted_at = excluded.granted_at, expires_at = excluded.expires_at
    returning id, account_id, role_id, source, source_ref, expires_at`);
  return db.with(written).select().from(written).prepare('assignments_upsert');
});

/** Deletes these assignments (scoped by organization); returns what was deleted. */
export async function deleteAssignments(db: Tx, organizationId: string, ids: string[]): Promise<AssignmentRow[]> {
  if (ids.length === 0) return [];
  return assignmentsDelete(db).execute({ organizationId, ids: `{${ids.join(',')}}` });
}

const assignmentsDelete = builtOnce((db) => {
  const deleted = db.$with('deleted', rowColumns).as(sql`
    delete from ${roleAssignments}
    where organization_id = ${sql.placeholder('organizationId')}::uuid and id = any(${sql.placeholder('ids')}::uuid[])
    returning id, account_id, role_id, source, source_ref, expires_at`);
  return db.with(deleted).select().from(deleted).prepare('assignments_delete');
});

/** Role keys by id, for audit events and answers that name roles. */
export async function findRoleKeys(db: Tx, organizationId: string, roleIds: string[]): Promise<Map<string, string>> {
  if (roleIds.length === 0) return new Map();
  const rows = await db
    .select({ id: roles.id, key: roles.key })
    .from(roles)
    .where(and(eq(roles.organizationId, organizationId), inArray(roles.id, [...new Set(roleIds)])));
  return new Map(rows.map((r) => [r.id, r.key]));
}

/**
 * Grants whose end has passed as of `asOf` (expires_at <= asOf: at exactly its end a grant no longer
 * counts), in the order the expiry index walks them. One predicate for the role-expiry job's revoke
 * and its dry run, so a dry run plans exactly what a run does.
 */
const lapsedBy = (organizationId: string, asOf: Date) =>
  sql`${roleAssignments.organizationId} = ${organizationId}::uuid and ${roleAssignments.expiresAt} is not null and ${roleAssignments.expiresAt} <= ${asOf.toISOString()}::timestamptz`;

/**
 * Deletes up to `limit` lapsed grants of the organization in one statement and returns them. The
 * predicate is on the DELETE itself, so a grant extended meanwhile by another transaction is
 * re-checked on its new version and kept (a concurrent run waits, then skips what is gone).
 */
export async function deleteExpiredAssignments(db: Tx, organizationId: string, asOf: Date, limit: number): Promise<AssignmentRow[]> {
  const deleted = db.$with('deleted', rowColumns).as(sql`
    delete from ${roleAssignments}
    where ${lapsedBy(organizationId, asOf)} and id in (
      select id from ${roleAssignments} where ${lapsedBy(organizationId, asOf)}
      order by expires_at, id limit ${limit})
    returning id, account_id, role_id, source, source_ref, expires_at`);
  return db.with(deleted).select().from(deleted);
}

/** The lapsed grants a role-expiry run would revoke, with the account's user name and the role key (dry runs). */
export async function findExpiredAssignments(db: Tx, organizationId: string, asOf: Date) {
  return db
    .select({ ...rowColumns, userName: accounts.userName, roleKey: roles.key })
    .from(roleAssignments)
    .innerJoin(accounts, and(eq(accounts.organizationId, roleAssignments.organizationId), eq(accounts.id, roleAssignments.accountId)))
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .where(lapsedBy(organizationId, asOf))
    .orderBy(roleAssignments.expiresAt, roleAssignments.id);
}
