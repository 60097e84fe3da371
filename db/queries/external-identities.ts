import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db';
import { connections, externalIdentities } from '@/db/schema';

export async function insertExternalIdentity(
  db: Tx,
  values: { organizationId: string; connectionId: string; subject: string; accountId: string; lastLoginAt?: Date },
) {
  const [row] = await db.insert(externalIdentities).values(values).returning({ id: externalIdentities.id });
  return row!;
}

export async function touchExternalIdentity(db: Tx, organizationId: string, id: string, at: Date) {
  await db
    .update(externalIdentities)
    .set({ lastLoginAt: at })
    .where(and(eq(externalIdentities.organizationId, organizationId), eq(externalIdentities.id, id)));
}

export async function findIdentitiesForAccount(db: Tx, organizationId: string, accountId: string) {
  return db
    .select({
      id: externalIdentities.id,
      connectionId: externalIdentities.connectionId,
      connectionName: connections.name,
      protocol: connections.protocol,
      subject: externalIdentities.subject,
      lastLoginAt: externalIdentities.lastLoginAt,
    })
    .from(externalIdentities)
    .innerJoin(connections, eq(connections.id, externalIdentities.connectionId))
    .where(and(eq(externalIdentities.organizationId, organizationId), eq(externalIdentities.accountId, accountId)));
}
