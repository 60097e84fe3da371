import { getTableColumns, sql, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '@/db';
import { accounts, auditEvents, externalIdentities, roleAssignments, type NewAccount, type NewAuditEvent } from '@/db/schema';
import { scimProfileFields } from '@/lib/lifecycle/scim-account-input';
import type { ScimUserRow } from './scim-accounts';
import { builtOncePer } from './built-once';
import { tokenStillGrants } from './scim-tokens';

/** The columns a SCIM joiner sets (its SCIM profile fields among them); every other column takes its default. */
const JOINER_COLUMNS = [
  'id',
  'organizationId',
  'status',
  'source',
  ...scimProfileFields,
  'deactivatedAt',
  'externalId',
  'scimManagedAt',
  'scimOwnedFields',
  'scimAttributes',
  'scimActive',
] as const satisfies (keyof NewAccount)[];
const AUDIT_COLUMNS = ['organizationId', 'actorType', 'actorId', 'action', 'targetType', 'targetId', 'before', 'after', 'data', 'requestId', 'ip'] as const satisfies (keyof NewAuditEvent)[];

export type JoinerAccount = Pick<NewAccount, (typeof JOINER_COLUMNS)[number]> & { id: string; userName: string };
export type JoinerGrant = { roleId: string; sourceRef: string };

/** A row keyed by database column names (for jsonb_populate_record), from one keyed by the schema's names. */
function byColumnName(table: PgTable, row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const columns: Record<string, Column> = getTableColumns(table);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = row[key];
    out[columns[key]!.name] = value ?? null; // dates become ISO strings in JSON.stringify
  }
  return out;
}

const names = (table: PgTable, keys: readonly string[], prefix = '') => {
  const columns: Record<string, Column> = getTableColumns(table);
  return sql.raw(keys.map((k) => `${prefix}${columns[k]!.name}`).join(', '));
};

/**
 * A SCIM joiner in one statement: the account, its birthright roles and the audit events, inserted
 * together — unless any account the push could link to exists, in which case nothing is written and
 * null comes back (the caller then decides in a transaction: lib/lifecycle/link-accounts.ts).
 *
 * "Could link to" is a superset of matchScimPush's candidates: any visible account of the
 * organization with the same user name (case-insensitive) or the same email, or an identity on the
 * token's connection whose subject is the externalId. Erring wide only sends more pushes down the
 * careful path. A unique violation (a concurrent create of the same user name) also writes nothing.
 *
 * One statement, so one implicit transaction and one round trip, and its SQL is built once
 * (built-once.ts): the common POST /Users costs the bearer-token lookup, the birthright policy and
 * this. Data-modifying CTEs all run, whether or not the final SELECT reads them; the grants and
 * events insert only if the account did.
 */
export async function insertScimJoiner(
  db: Tx,
  input: { account: JoinerAccount; matchEmail: string | null; connectionId: string | null; grants: JoinerGrant[]; events: NewAuditEvent[]; guard?: JoinerGuard | null },
): Promise<ScimUserRow | null> {
  const guard = input.guard ?? null;
  const [row] = await joinerInsert(db, guard ? 'guarded' : 'plain').execute({
    ...(guard ? { tokenId: guard.tokenId, tokenHash: guard.tokenHash, policyVersion: guard.policyVersion } : {}),
    // JSON goes as text: drizzle's postgres-js driver turns off postgres.js's own JSON serializing.
    account: JSON.stringify(byColumnName(accounts, input.account, JOINER_COLUMNS)),
    organizationId: input.account.organizationId,
    userName: input.account.userName,
    externalId: input.account.externalId ?? null,
    matchEmail: input.matchEmail,
    connectionId: input.connectionId,
    grants: JSON.stringify(input.grants.map((g) => ({ role_id: g.roleId, source_ref: g.sourceRef }))),
    events: JSON.stringify(input.events.map((e) => byColumnName(auditEvents, e, AUDIT_COLUMNS))),
  });
  if (!row) return null;
  const a = input.account;
  return {
    ...row,
    organizationId: a.organizationId,
    status: a.status ?? 'active',
    userName: a.userName,
    email: a.email ?? null,
    displayName: a.displayName ?? null,
    givenName: a.givenName ?? null,
    familyName: a.familyName ?? null,
    department: a.department ?? null,
    title: a.title ?? null,
    employeeNumber: a.employeeNumber ?? null,
    manager: a.manager ?? null,
    externalId: a.externalId ?? null,
    scimAttributes: a.scimAttributes ?? {},
  };
}

/**
 * What a joiner planned with a remembered principal must still hold when it is written (checked in
 * the same statement, tokenStillGrants): the token unrevoked, the birthright policy unchanged.
 */
export type JoinerGuard = { tokenId: string; tokenHash: string; policyVersion: number };

const joinerInsert = builtOncePer((db, variant: 'plain' | 'guarded') => {
  const p = (name: string) => sql.placeholder(name);
  const still =
    variant === 'guarded'
      ? sql` and ${tokenStillGrants({ tokenId: p('tokenId'), tokenHash: p('tokenHash'), organizationId: p('organizationId'), policyVersion: p('policyVersion') })}`
      : sql``;
  // Uncorrelated (its own parameters, not the new row's), so each branch is one index lookup.
  const candidates = db.$with('candidates', {}).as(sql`
    select a.id from ${accounts} a
    where a.organization_id = ${p('organizationId')}::uuid and a.status <> 'deprovisioned' and a.id in (
      select id from ${accounts} where organization_id = ${p('organizationId')}::uuid and lower(user_name) = lower(${p('userName')}::text)
      union all
      select id from ${accounts} where organization_id = ${p('organizationId')}::uuid and lower(email) = lower(${p('matchEmail')}::text)
      union all
      select account_id from ${externalIdentities} where connection_id = ${p('connectionId')}::uuid and subject = ${p('externalId')}::text)`);
  // Returns only what the database decided (the rest of the SCIM user is what was sent).
  const joiner = db.$with('joiner', { id: accounts.id, organizationId: accounts.organizationId, version: accounts.version, createdAt: accounts.createdAt, updatedAt: accounts.updatedAt }).as(sql`
    insert into ${accounts} (${names(accounts, JOINER_COLUMNS)})
    select ${names(accounts, JOINER_COLUMNS, 'r.')} from jsonb_populate_record(null::accounts, ${p('account')}::jsonb) r
    where not exists (select 1 from candidates)${still}
    returning id, organization_id, version, created_at, updated_at`);
  const grants = db.$with('grants', {}).as(sql`
    insert into ${roleAssignments} (organization_id, account_id, role_id, source, source_ref)
    select j.organization_id, j.id, g.role_id, 'birthright', g.source_ref
    from joiner j, jsonb_to_recordset(${p('grants')}::jsonb) as g(role_id uuid, source_ref text)`);
  const events = db.$with('events', {}).as(sql`
    insert into ${auditEvents} (${names(auditEvents, AUDIT_COLUMNS)})
    select ${names(auditEvents, AUDIT_COLUMNS, 'e.')} from jsonb_populate_recordset(null::audit_events, ${p('events')}::jsonb) e
    where exists (select 1 from joiner)`);
  return db
    .with(candidates, joiner, grants, events)
    .select({ id: joiner.id, version: joiner.version, createdAt: joiner.createdAt, updatedAt: joiner.updatedAt })
    .from(joiner)
    .prepare('scim_joiner_insert');
});
