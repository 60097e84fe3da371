import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { insertAttributeRule } from '@/db/queries/attribute-rules';
import { insertConnection } from '@/db/queries/connections';
import { insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import { createScimToken } from '@/lib/scim/create-token';
import { seedAccountsInChunks } from '../seed-accounts';

export type BenchTenant = { organizationId: string; token: string };

/** The organization a SCIM bench provisions into (scim-http, and scim in process under its own slug): a connection, a birthright rule, a SCIM token. */
export async function setUpTenant(db: Database, name: { slug: string; title: string } = { slug: 'scim-http-bench', title: 'SCIM HTTP Bench' }): Promise<BenchTenant> {
  const org = await insertOrganization(db, { slug: name.slug, name: name.title });
  const connection = await insertConnection(db, {
    organizationId: org.id,
    name: 'Bench IdP',
    protocol: 'oidc',
    issuer: `https://idp.${name.slug}.test`,
    clientId: 'roster',
    allowedDomains: ['scim.bench.test'],
    defaultRoles: ['member'],
  });
  await upsertRole(db, { organizationId: org.id, key: 'member', name: 'Member' });
  const role = await upsertRole(db, { organizationId: org.id, key: 'engineering', name: 'Engineering' });
  await insertAttributeRule(db, { organizationId: org.id, name: 'engineering', roleId: role.id, conditions: { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Engineering' }] } });
  const { token } = await createScimToken(db, { organizationId: org.id, connectionId: connection.id, name: 'bench' }, { type: 'system' });
  return { organizationId: org.id, token };
}

/**
 * Seeds users `seed<from>` … `seed<to>` in SQL (insert … select generate_series, triggers off and
 * counters recomputed: lib/bench/seed-accounts.ts), the rows a SCIM joiner stores, then settles the
 * database as autovacuum and the checkpointer would have long before an organization got this big.
 */
export async function seedUsers(db: Database, organizationId: string, from: number, to: number, log: (line: string) => void): Promise<void> {
  if (to >= from) {
    const offset = from - 1;
    await seedAccountsInChunks(
      db,
      organizationId,
      to - offset,
      (a, b) => sql`
        insert into accounts (organization_id, source, user_name, email, given_name, family_name, external_id, scim_managed_at, field_owners)
        select ${organizationId}::uuid, 'scim', 'seed' || n, 'seed' || n || '@scim.bench.test', 'Seed', 'User ' || n, 'ext-seed' || n, now(),
          '{"userName":"scim","email":"scim","givenName":"scim","familyName":"scim"}'::jsonb
        from generate_series(${a + offset}::int, ${b + offset}::int) as n`,
      log,
    );
  }
  await db.execute(sql`vacuum analyze accounts, account_counts, role_assignments, audit_events`);
  await db.execute(sql`checkpoint`);
}

/** Up to `limit` active seeded accounts' ids, in random order. */
export async function activeSeedIds(db: Database, organizationId: string, limit: number): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(
    sql`select id from accounts where organization_id = ${organizationId}::uuid and status = 'active' and user_name like 'seed%' order by random() limit ${limit}`,
  );
  return rows.map((r) => r.id);
}
