import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { connections, organizations, type NewConnection } from '@/db/schema';
import { isUuid } from '@/lib/ids';

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
  const [row] = await db.select(columns).from(connections).where(eq(connections.id, id));
  return row ?? null;
}

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
  values: Partial<Pick<NewConnection, 'issuer' | 'clientId' | 'clientSecretEncrypted' | 'samlMetadata' | 'samlConfig' | 'enabled' | 'name'>>,
) {
  const [row] = await db
    .update(connections)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(connections.id, id), eq(connections.organizationId, organizationId)))
    .returning(columns);
  return row ?? null;
}
