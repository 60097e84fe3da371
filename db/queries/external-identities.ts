import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { connections, externalIdentities } from '@/db/schema';
import { builtOnce } from './built-once';

export async function insertExternalIdentity(db: Tx, values: { organizationId: string; connectionId: string; subject: string; accountId: string }) {
  const [row] = await identityInsert(db).execute(values);
  return row!;
}

const identityInsert = builtOnce((db) => {
  const p = sql.placeholder;
  return db
    .insert(externalIdentities)
    .values({ organizationId: p('organizationId'), connectionId: p('connectionId'), subject: p('subject'), accountId: p('accountId') })
    .returning({ id: externalIdentities.id })
    .prepare('identity_insert');
});

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
