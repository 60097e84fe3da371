import { and, asc, count, eq, getTableColumns, ilike, inArray, or, SQL, sql, type Column } from 'drizzle-orm';
import type { Database, Tx } from '@/db';
import { accounts, auditEvents, externalIdentities, roleAssignments, type Account, type AccountStatus, type NewAccount, type NewAuditEvent } from '@/db/schema';
import { profileFields } from '@/lib/model/account';
import { AUDIT_COLUMNS } from './audit-events';
import { pushCandidateIds, pushMatchParams, type PushMatch } from './account-links';
import { builtOnce, builtOncePer } from './built-once';
import { lockedStatement, LockedStatementUnavailable, runLocked, type LockedStatement } from './locked-statement';
import { scimTokenStillGrants } from './scim-tokens';
import { tableRows } from './pipelined';
import type { AssignmentWrite } from './role-assignments';
import { byColumnName, columnList } from './json-rows';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The columns a new account is written with (every profile field among them); the rest take their defaults. */
const CREATE_COLUMNS = [
  'id',
  'organizationId',
  'status',
  'source',
  ...profileFields,
  'extraAttributes',
  'deactivatedAt',
  'externalId',
  'scimManagedAt',
  'fieldOwners',
  'scimAttributes',
  'scimActive',
  'loginGroups',
  'endsAt',
] as const satisfies (keyof NewAccount)[];
export type NewAccountRow = Required<Pick<NewAccount, (typeof CREATE_COLUMNS)[number]>> & { id: string };

/**
 * Creates an account with its first role assignments and audit events in one statement (one round
 * trip, whatever the number of grants), or writes nothing and answers null when the user name is
 * already taken in the organization. Built once (built-once.ts), on the pool or in a transaction
 * alike; rows go as JSON parameters (json-rows.ts), so the statement's text never changes. The
 * grants and events are inserted only if the account was (data-modifying CTEs all run; theirs
 * read the account's CTE). What to grant is the access gate's decision (lib/lifecycle/access/gate.ts).
 */
export type InitialAccess = { grants?: Omit<AssignmentWrite, 'accountId' | 'organizationId'>[]; events?: NewAuditEvent[] };

export async function insertAccount(db: Tx, row: NewAccountRow, initial: InitialAccess = {}): Promise<Account | null> {
  const [made] = await accountInsert(db, 'plain').execute(insertParams(row, initial));
  return made ? createdAccount(row, made) : null;
}

/**
 * The columns of a new account that PostgreSQL decides (defaults: version, created_at, updated_at,
 * dormancy_exempt, the nulls of the rest): every column the insert does not write. Only these come
 * back from the insert; the rest are the row as written (createdAccount), so the statement does not
 * send back and the driver does not parse again the profile and the JSON it was just given.
 */
const DB_MADE = (Object.keys(getTableColumns(accounts)) as (keyof Account)[]).filter((key) => !(CREATE_COLUMNS as readonly string[]).includes(key));
type DbMade = Omit<Account, (typeof CREATE_COLUMNS)[number]>;

/** The new account as a read of it gives it (db/queries/accounts.test.ts checks): the row written, and what PostgreSQL decided. */
function createdAccount(row: NewAccountRow, made: DbMade): Account {
  const account: Record<string, unknown> = { ...made };
  for (const key of CREATE_COLUMNS) account[key] = row[key] ?? null; // as insertParams writes it
  return account as Account;
}

/** The insert's answer (database column names) as DbMade rows. */
const dbMadeRows = tableRows<DbMade>(accounts, DB_MADE);

/**
 * The same, as one statement on the pool under the person's locks (locked-statement.ts: the locks
 * of person-locks.ts first, then the insert in a snapshot taken once they are held) — only if no
 * account the push could be exists (account-links.ts: pushCandidateIds, the rule's own statement).
 * Null: nothing written (someone could be this person, the user name is taken, or the SCIM token
 * or its birthright policy changed since the caller read them: `guard`, scim-tokens.ts); the
 * caller then authenticates again and decides by the rule in a transaction of its own.
 */
export type ScimWriteGuard = { tokenId: string; tokenHash: string; policyVersion: string };

export async function insertAccountUnlessMatched(
  db: Database,
  lockIds: bigint[],
  match: PushMatch,
  guard: ScimWriteGuard,
  row: NewAccountRow,
  initial: InitialAccess = {},
): Promise<Account | null> {
  if (lockIds.length === 0) throw new Error('insertAccountUnlessMatched: no person keys to lock');
  let rows: Record<string, unknown>[];
  try {
    rows = await runLocked(db, joinStatement(db), lockIds, { ...insertParams(row, initial), ...pushMatchParams(match), ...guard });
  } catch (error) {
    if (!(error instanceof LockedStatementUnavailable)) throw error;
    // Nothing was written: the caller decides by the rule in a transaction of its own.
    if (!warnedUnavailable) console.error(`[scim] creates take the transaction path: ${error.message}`);
    warnedUnavailable = true;
    return null;
  }
  const [made] = dbMadeRows(rows);
  return made ? createdAccount(row, made) : null;
}

let warnedUnavailable = false;

/** The unmatched insert as one statement under the person's locks (locked-statement.ts). */
const joinStatements = new WeakMap<object, LockedStatement>();
function joinStatement(db: Database): LockedStatement {
  const query = accountInsert(db, 'unmatched');
  let statement = joinStatements.get(query);
  if (!statement) {
    const columns: Record<string, Column> = getTableColumns(accounts);
    joinStatements.set(query, (statement = lockedStatement(query, DB_MADE.map((key) => columns[key]!))));
  }
  return statement;
}

function insertParams(row: NewAccountRow, initial: InitialAccess) {
  return {
    row: JSON.stringify(byColumnName(accounts, row, CREATE_COLUMNS)),
    grants: JSON.stringify((initial.grants ?? []).map((g) => ({ role_id: g.roleId, source: g.source, source_ref: g.sourceRef, granted_by: g.grantedBy, granted_at: g.grantedAt, expires_at: g.expiresAt }))),
    events: JSON.stringify((initial.events ?? []).map((e) => byColumnName(auditEvents, e, AUDIT_COLUMNS))),
  };
}

const accountInsert = builtOncePer((db, variant: 'plain' | 'unmatched') => {
  const unmatched = variant === 'unmatched' ? sql`where not exists (${pushCandidateIds()}) and ${scimTokenStillGrants()}` : sql``;
  const created = db.$with('created', getTableColumns(accounts)).as(sql`
    insert into ${accounts} (${columnList(accounts, CREATE_COLUMNS)})
    select ${columnList(accounts, CREATE_COLUMNS, 'r.')} from jsonb_populate_record(null::accounts, ${sql.placeholder('row')}::jsonb) r
    ${unmatched}
    on conflict do nothing
    returning *`);
  const grants = db.$with('grants', { one: sql<number>`one` }).as(sql`
    insert into ${roleAssignments} (organization_id, account_id, role_id, source, source_ref, granted_by, granted_at, expires_at)
    select c.organization_id, c.id, g.role_id, g.source, g.source_ref, g.granted_by, g.granted_at, g.expires_at
    from created c, jsonb_populate_recordset(null::role_assignments, ${sql.placeholder('grants')}::jsonb) g
    returning 1 as one`);
  const events = db.$with('events', { one: sql<number>`one` }).as(sql`
    insert into ${auditEvents} (${columnList(auditEvents, AUDIT_COLUMNS)})
    select ${columnList(auditEvents, AUDIT_COLUMNS, 'e.')} from jsonb_populate_recordset(null::audit_events, ${sql.placeholder('events')}::jsonb) with ordinality e
    where exists (select 1 from created) order by e.ordinality
    returning 1 as one`);
  const made = Object.fromEntries(DB_MADE.map((key) => [key, created[key]])) as { [K in keyof DbMade]: (typeof created)[K] };
  return db.with(created, grants, events).select(made).from(created).prepare(`account_insert_${variant}`);
});

export async function getAccountById(db: Tx, organizationId: string, id: string, options: { forUpdate?: boolean } = {}) {
  if (!UUID.test(id)) return null;
  const [row] = await (options.forUpdate ? accountByIdForUpdate : accountById)(db).execute({ organizationId, id });
  return row ?? null;
}

const byId = (db: Tx) =>
  db
    .select()
    .from(accounts)
    .where(and(eq(accounts.organizationId, sql.placeholder('organizationId')), eq(accounts.id, sql.placeholder('id'))));
const accountById = builtOnce((db) => byId(db).prepare('account_by_id'));
const accountByIdForUpdate = builtOnce((db) => byId(db).for('update').prepare('account_by_id_for_update'));

/** The account an external identity (connection, subject) points to, locked for the login's transaction. */
export async function getAccountByIdentity(db: Tx, connectionId: string, subject: string) {
  const [row] = await accountByIdentity(db).execute({ connectionId, subject });
  return row ?? null;
}

const accountByIdentity = builtOnce((db) =>
  db
    .select({ account: accounts, identityId: externalIdentities.id })
    .from(externalIdentities)
    .innerJoin(accounts, and(eq(accounts.id, externalIdentities.accountId), eq(accounts.organizationId, externalIdentities.organizationId)))
    .where(and(eq(externalIdentities.connectionId, sql.placeholder('connectionId')), eq(externalIdentities.subject, sql.placeholder('subject'))))
    .for('update', { of: accounts })
    .prepare('account_by_identity'),
);

/** The same lookup without the row lock, scoped by organization: for read-only previews (a test sign-in). */
export async function peekAccountByIdentity(db: Tx, organizationId: string, connectionId: string, subject: string) {
  const [row] = await db
    .select({ account: accounts, identityId: externalIdentities.id })
    .from(externalIdentities)
    .innerJoin(accounts, and(eq(accounts.id, externalIdentities.accountId), eq(accounts.organizationId, externalIdentities.organizationId)))
    .where(and(eq(externalIdentities.organizationId, organizationId), eq(externalIdentities.connectionId, connectionId), eq(externalIdentities.subject, subject)));
  return row ?? null;
}

export async function getAccountIdByUserName(db: Tx, organizationId: string, userName: string) {
  const [row] = await accountIdByUserName(db).execute({ organizationId, userName });
  return row?.id ?? null;
}

const accountIdByUserName = builtOnce((db) =>
  db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.organizationId, sql.placeholder('organizationId')), sql`lower(${accounts.userName}) = lower(${sql.placeholder('userName')}::text)`))
    .prepare('account_id_by_user_name'),
);

/** These accounts of the organization (any status). */
export async function findAccountsByIds(db: Tx, organizationId: string, ids: string[]): Promise<Account[]> {
  const wellFormed = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (wellFormed.length === 0) return [];
  return db.select().from(accounts).where(and(eq(accounts.organizationId, organizationId), inArray(accounts.id, wellFormed)));
}

/** Writes the given fields and bumps the version; scoped by organization and id. */
export async function updateAccount(db: Tx, organizationId: string, id: string, patch: Partial<NewAccount>): Promise<Account> {
  const keys = (Object.keys(patch) as (keyof NewAccount)[]).filter((k) => patch[k] !== undefined).sort();
  const key = keys.join(',');
  if (keys.some((k) => patch[k] instanceof SQL) || (!updateShapes.has(key) && updateShapes.size >= MAX_UPDATE_SHAPES)) return updateAccountBuilt(db, organizationId, id, patch);
  updateShapes.add(key);
  const [row] = await accountUpdate(db, key).execute({ organizationId, id, row: JSON.stringify(byColumnName(accounts, patch, keys)) });
  return row!;
}

/**
 * The columns an update sets name its statement: built once per set of columns (built-once.ts),
 * the values as one JSON row (json-rows.ts), so the SQL is not assembled on every write. Past
 * MAX_UPDATE_SHAPES distinct sets (never seen: each caller writes a handful), or with an SQL value,
 * the statement is built for the call as before.
 */
const MAX_UPDATE_SHAPES = 256;
const updateShapes = new Set<string>();

const accountUpdate = builtOncePer((db, key: string) => {
  const keys = key ? key.split(',') : [];
  const set = keys.length ? sql`(${columnList(accounts, keys)}) = (select ${columnList(accounts, keys, 'r.')} from jsonb_populate_record(null::accounts, ${sql.placeholder('row')}::jsonb) r), ` : sql``;
  const updated = db.$with('updated', getTableColumns(accounts)).as(sql`
    update ${accounts} set ${set}version = version + 1, updated_at = now()
    where organization_id = ${sql.placeholder('organizationId')}::uuid and id = ${sql.placeholder('id')}::uuid
    returning *`);
  return db.with(updated).select().from(updated).prepare('account_update');
});

async function updateAccountBuilt(db: Tx, organizationId: string, id: string, patch: Partial<NewAccount>): Promise<Account> {
  const [row] = await db
    .update(accounts)
    .set({ ...patch, version: sql`${accounts.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(accounts.organizationId, organizationId), eq(accounts.id, id)))
    .returning()
    .prepare('account_update')
    .execute();
  return row!;
}

/**
 * These accounts' groups now belong to `door` (it sent their memberships): attribute rules read
 * their Roster groups from then on (lib/policy/rule-attributes.ts). Not a profile change: no version bump.
 */
export async function setGroupsOwner(db: Tx, organizationId: string, ids: string[], door: string) {
  if (ids.length === 0) return;
  await db
    .update(accounts)
    .set({ fieldOwners: sql`${accounts.fieldOwners} || jsonb_build_object('groups', ${door}::text)` })
    .where(and(eq(accounts.organizationId, organizationId), inArray(accounts.id, ids), sql`${accounts.fieldOwners}->>'groups' is distinct from ${door}::text`));
}

export type AccountListFilter = { search?: string; status?: AccountStatus; limit?: number; offset?: number };

/** A page of the organization's accounts, with the total for the same filter. */
export async function findAccounts(db: Tx, organizationId: string, filter: AccountListFilter = {}) {
  const where: SQL[] = [eq(accounts.organizationId, organizationId)];
  if (filter.status) where.push(eq(accounts.status, filter.status));
  const term = filter.search?.trim();
  if (term) {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(accounts.userName, like), ilike(accounts.email, like), ilike(accounts.displayName, like), ilike(accounts.department, like))!);
  }
  const condition = and(...where);
  const limit = Math.min(Math.max(filter.limit ?? 25, 1), 200);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: accounts.id,
        userName: accounts.userName,
        email: accounts.email,
        displayName: accounts.displayName,
        department: accounts.department,
        title: accounts.title,
        status: accounts.status,
        source: accounts.source,
        lastLoginAt: accounts.lastLoginAt,
        createdAt: accounts.createdAt,
      })
      .from(accounts)
      .where(condition)
      .orderBy(asc(sql`lower(${accounts.userName})`), asc(accounts.id))
      .limit(limit)
      .offset(Math.max(filter.offset ?? 0, 0)),
    db.select({ value: count() }).from(accounts).where(condition),
  ]);
  return { rows, total: total?.value ?? 0 };
}

/**
 * Many accounts of one organization to a status in one statement (the jobs' batches; lib/lifecycle/
 * account/set-accounts-status.ts): only those still in one of `from`. `dormancy`: Roster suspended
 * them for dormancy (dormancy_suspended_at). Returns the ids changed.
 */
export async function updateAccountsStatus(
  db: Tx,
  input: { organizationId: string; ids: string[]; from: AccountStatus[]; status: AccountStatus; now: Date; dormancy?: boolean },
): Promise<string[]> {
  if (input.ids.length === 0) return [];
  const now = sql`${input.now.toISOString()}::timestamptz`;
  const rows = await db.execute<{ id: string }>(sql`update accounts set status = ${input.status}::account_status,
      deactivated_at = ${input.status === 'active' ? sql`null` : now},
      dormancy_suspended_at = ${input.dormancy ? now : sql`dormancy_suspended_at`},
      version = version + 1, updated_at = now()
    where organization_id = ${input.organizationId}::uuid and id = any(${`{${input.ids.join(',')}}`}::uuid[]) and status = any(${`{${input.from.join(',')}}`}::account_status[])
    returning id`);
  return rows.map((r) => r.id);
}
