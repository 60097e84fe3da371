import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { connections, externalIdentities, organizations, scimTokens, attributeRules, sessions, accounts, type NewConnection } from '@/db/schema';
import { isUuid } from '@/lib/ids';
import { builtOnce } from './built-once';

/** Everything but the encrypted secret, which only getConnectionSecret reads. */
const columns = {
  id: connections.id,
  organizationId: connections.organizationId,
  name: connections.name,
  protocol: connections.protocol,
  enabled: connections.enabled,
  issuer: connections.issuer,
  clientId: connections.clientId,
  scopes: connections.scopes,
  samlConfig: connections.samlConfig,
  allowedDomains: connections.allowedDomains,
  jitEnabled: connections.jitEnabled,
  claimMapping: connections.claimMapping,
  requiredAttributes: connections.requiredAttributes,
  defaultRoles: connections.defaultRoles,
  createdAt: connections.createdAt,
};
export type ConnectionRow = Awaited<ReturnType<typeof getConnectionById>> & {};

export async function insertConnection(db: Tx, values: NewConnection) {
  const [row] = await db.insert(connections).values(values).returning(columns);
  return row!;
}

/** Sign-in starts from a connection id in the URL: the connection decides the organization. Not a uuid: none. */
export async function getConnectionById(db: Tx, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await connectionById(db).execute({ id });
  return row ?? null;
}

// Every sign-in (OIDC, SAML, JIT) starts with it: built once (built-once.ts).
const connectionById = builtOnce((db) => db.select(columns).from(connections).where(eq(connections.id, sql.placeholder('id'))).prepare('connection_by_id'));

export async function getConnectionSecret(db: Tx, organizationId: string, id: string) {
  const [row] = await db
    .select({ clientSecretEncrypted: connections.clientSecretEncrypted })
    .from(connections)
    .where(and(eq(connections.id, id), eq(connections.organizationId, organizationId)));
  return row?.clientSecretEncrypted ?? null;
}

/** Home-realm discovery: enabled connections that allow this email domain, with their organization. */
export async function findConnectionsByDomain(db: Tx, domain: string) {
  return db
    .select({ id: connections.id, name: connections.name, protocol: connections.protocol, organizationName: organizations.name })
    .from(connections)
    .innerJoin(organizations, eq(organizations.id, connections.organizationId))
    .where(and(eq(connections.enabled, true), sql`${domain.toLowerCase()} = any(${connections.allowedDomains})`))
    .orderBy(asc(organizations.name), asc(connections.name));
}

export async function findConnectionsByOrganization(db: Tx, organizationId: string) {
  return db.select(columns).from(connections).where(eq(connections.organizationId, organizationId)).orderBy(asc(connections.name));
}

export async function getConnectionByName(db: Tx, organizationId: string, name: string) {
  const [row] = await db.select(columns).from(connections).where(and(eq(connections.organizationId, organizationId), eq(connections.name, name)));
  return row ?? null;
}

/** Changes a connection's IdP coordinates (OIDC client, SAML metadata and settings); scoped by organization. */
export async function updateConnection(
  db: Tx,
  organizationId: string,
  id: string,
  values: Partial<
    Pick<
      NewConnection,
      'issuer' | 'clientId' | 'clientSecretEncrypted' | 'samlMetadata' | 'samlConfig' | 'enabled' | 'name' | 'allowedDomains' | 'jitEnabled' | 'claimMapping' | 'requiredAttributes' | 'defaultRoles'
    >
  >,
) {
  const [row] = await db
    .update(connections)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(connections.id, id), eq(connections.organizationId, organizationId)))
    .returning(columns);
  return row ?? null;
}

/** One connection of the organization, locked for a change (update, disable, delete) in this transaction. */
export async function getConnectionForUpdate(db: Tx, organizationId: string, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select(columns)
    .from(connections)
    .where(and(eq(connections.id, id), eq(connections.organizationId, organizationId)))
    .for('update');
  return row ?? null;
}

/**
 * What depends on a connection: the accounts that have a sign-in identity through it (and of those,
 * the ones with no other way in: no identity through another connection and not managed by SCIM),
 * its identities, its live sessions, its SCIM tokens not revoked, and the birthright rules scoped to it.
 */
export async function getConnectionImpact(db: Tx, organizationId: string, id: string) {
  const [row] = await db.execute<{ accounts: number; only_way_in: number; identities: number; open_sessions: number; scim_tokens: number; rules: number }>(sql`
    select
      (select count(distinct ei.account_id)::int from ${externalIdentities} ei where ei.organization_id = ${organizationId} and ei.connection_id = ${id}) as accounts,
      (select count(distinct ei.account_id)::int from ${externalIdentities} ei
         join ${accounts} a on a.id = ei.account_id and a.organization_id = ei.organization_id
        where ei.organization_id = ${organizationId} and ei.connection_id = ${id} and a.scim_managed_at is null
          and not exists (select 1 from ${externalIdentities} o where o.organization_id = ei.organization_id and o.account_id = ei.account_id and o.connection_id <> ${id})) as only_way_in,
      (select count(*)::int from ${externalIdentities} ei where ei.organization_id = ${organizationId} and ei.connection_id = ${id}) as identities,
      (select count(*)::int from ${sessions} s where s.organization_id = ${organizationId} and s.connection_id = ${id} and s.revoked_at is null and s.expires_at > now()) as open_sessions,
      (select count(*)::int from ${scimTokens} t where t.organization_id = ${organizationId} and t.connection_id = ${id} and t.revoked_at is null) as scim_tokens,
      (select count(*)::int from ${attributeRules} r where r.organization_id = ${organizationId} and r.connection_id = ${id}) as rules
  `);
  return {
    accounts: Number(row?.accounts ?? 0),
    onlyWayIn: Number(row?.only_way_in ?? 0),
    identities: Number(row?.identities ?? 0),
    openSessions: Number(row?.open_sessions ?? 0),
    scimTokens: Number(row?.scim_tokens ?? 0),
    rules: Number(row?.rules ?? 0),
  };
}
export type ConnectionImpact = Awaited<ReturnType<typeof getConnectionImpact>>;

/** Deletes a connection (its identities, SCIM tokens and scoped rules go with it: foreign keys cascade). */
export async function deleteConnection(db: Tx, organizationId: string, id: string) {
  const rows = await db
    .delete(connections)
    .where(and(eq(connections.id, id), eq(connections.organizationId, organizationId)))
    .returning({ id: connections.id });
  return rows.length > 0;
}

/** The console's list: each connection with its accounts (distinct, through an identity) and last sign-in. */
export async function findConnectionSummaries(db: Tx, organizationId: string) {
  const usage = db
    .select({
      connectionId: externalIdentities.connectionId,
      accounts: sql<number>`count(distinct ${externalIdentities.accountId})::int`.as('accounts'),
      lastSignInAt: sql<Date | null>`max(${externalIdentities.lastLoginAt})`.as('last_sign_in_at'),
    })
    .from(externalIdentities)
    .where(eq(externalIdentities.organizationId, organizationId))
    .groupBy(externalIdentities.connectionId)
    .as('usage');
  const rows = await db
    .select({ ...columns, accounts: usage.accounts, lastSignInAt: usage.lastSignInAt })
    .from(connections)
    .leftJoin(usage, eq(usage.connectionId, connections.id))
    .where(eq(connections.organizationId, organizationId))
    .orderBy(asc(connections.name), asc(connections.createdAt));
  return rows.map((r) => ({ ...r, accounts: Number(r.accounts ?? 0), lastSignInAt: r.lastSignInAt ? new Date(r.lastSignInAt) : null }));
}
export type ConnectionSummary = Awaited<ReturnType<typeof findConnectionSummaries>>[number];

/** Enabled SAML connections with a metadata URL kept in their config: what refresh-saml-metadata reads again. */
const refreshable = sql`${connections.enabled} and ${connections.protocol} = 'saml' and ${connections.samlConfig} ->> 'metadataUrl' is not null`;

export async function findOrganizationsWithSamlMetadataUrls(db: Tx): Promise<string[]> {
  const rows = await db.selectDistinct({ id: connections.organizationId }).from(connections).where(refreshable);
  return rows.map((r) => r.id);
}

export async function findSamlConnectionsWithMetadataUrl(db: Tx, organizationId: string) {
  return db
    .select({ id: connections.id, name: connections.name })
    .from(connections)
    .where(and(eq(connections.organizationId, organizationId), refreshable))
    .orderBy(asc(connections.name), asc(connections.id));
}
