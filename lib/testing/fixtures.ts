import { randomUUID } from 'node:crypto';
import { createDatabase, type Database, type Tx } from '@/db';
import { insertAttributeRule } from '@/db/queries/attribute-rules';
import { insertConnection } from '@/db/queries/connections';
import { insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import type { Account, NewConnection, RuleConditions } from '@/db/schema';
import type { Actor } from '@/lib/audit/record-event';
import { createAccount } from '@/lib/lifecycle/account/create-account';
import { inTransaction, type CommandContext } from '@/lib/lifecycle/context';
import type { Door, Profile } from '@/lib/model/account';

let handle: ReturnType<typeof createDatabase> | undefined;

/** The test database (real Postgres, see global-setup.ts). */
export function testDb(): Database {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by lib/testing/global-setup.ts');
  handle ??= createDatabase(url, { max: 40 });
  return handle.db;
}

export async function closeTestDb() {
  await handle?.sql.end({ timeout: 5 });
  handle = undefined;
}

/** A fresh organization with one OIDC connection allowing `example.com`. */
export async function makeOrganization(db: Database, connection: Partial<NewConnection> = {}) {
  const suffix = randomUUID().slice(0, 8);
  const org = await insertOrganization(db, { slug: `org-${suffix}`, name: `Org ${suffix}` });
  const conn = await insertConnection(db, {
    organizationId: org.id,
    name: 'Test IdP',
    protocol: 'oidc',
    issuer: 'https://idp.example.test',
    clientId: 'roster',
    allowedDomains: ['example.com'],
    ...connection,
  });
  return { org, connection: conn };
}

export async function makeRuleRole(db: Database, organizationId: string, key: string, conditions: RuleConditions, connectionId?: string) {
  const role = await upsertRole(db, { organizationId, key, name: key });
  const rule = await insertAttributeRule(db, { organizationId, name: `grant ${key}`, roleId: role.id, connectionId: connectionId ?? null, conditions });
  return { role, rule };
}

/**
 * An account made the way a door makes one (lib/lifecycle: createAccount in a unit of work, with
 * its audit event), for tests that need one to act on. `door` decides its source and who owns the
 * fields given; birthright roles are not evaluated (grant what a test needs).
 */
export async function makeAccount(
  db: Database,
  organizationId: string,
  options: { door?: Door; userName?: string; profile?: Partial<Profile>; externalId?: string | null; active?: boolean; scimAttributes?: Record<string, unknown>; groups?: string[] } = {},
): Promise<Account> {
  const door = options.door ?? 'admin';
  const userName = options.userName ?? `user-${randomUUID().slice(0, 8)}@example.com`;
  const actor: Actor = door === 'scim' ? { type: 'scim', id: 'test' } : door === 'jit' ? { type: 'user', id: userName } : { type: 'admin', id: 'test' };
  const action = door === 'scim' ? ('account.scim_created' as const) : ('account.created' as const);
  return inTransaction(db, { actor }, async (tx, ctx) => {
    const input = { door, profile: { email: userName.includes('@') ? userName : null, ...options.profile, userName }, externalId: options.externalId, active: options.active, scimAttributes: options.scimAttributes, groups: options.groups };
    const event = action === 'account.scim_created' ? { action, data: { connectionId: null } } : { action, data: { via: door } };
    const created = await createAccount(tx, { organizationId, input, event }, ctx);
    if (!created) throw new Error(`makeAccount: user name ${userName} is taken`);
    return created.account;
  });
}

/** Runs lifecycle commands as an administrator would (one unit of work). */
export function asAdmin<T>(db: Database, work: (tx: Tx, ctx: CommandContext) => Promise<T>, now?: Date): Promise<T> {
  return inTransaction(db, { actor: { type: 'admin', id: 'test-admin' }, now }, work);
}
