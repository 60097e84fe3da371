import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { insertAttributeRule } from '@/db/queries/attribute-rules';
import { insertConnection } from '@/db/queries/connections';
import { insertOrganization } from '@/db/queries/organizations';
import { clientOf } from '@/db/queries/built-once';
import { upsertRole } from '@/db/queries/roles';
import { createScimToken } from '@/lib/scim/create-token';
import { recountAccounts } from '../seed-accounts';

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
 * Seeds users `seed<from>` … `seed<to>` with COPY (streamed from a generator, never all in memory,
 * triggers off and the counters recomputed as lib/bench/seed-accounts.ts does), the rows a SCIM
 * joiner stores, then settles the database as autovacuum and the checkpointer would have long
 * before an organization got this big.
 */
export async function seedUsers(db: Database, organizationId: string, from: number, to: number, log: (line: string) => void): Promise<void> {
  if (to >= from) {
    await copyAccounts(db, from, to, (n) => `${organizationId}\tscim\tseed${n}\tseed${n}@scim.bench.test\tSeed\tUser ${n}\text-seed${n}\t${managedAt}\t${fieldOwners}\n`, log);
    await recountAccounts(db, organizationId);
  }
  await settleDatabase(db);
}

/**
 * What autovacuum and the checkpointer would have done long before a real organization reached
 * this size, so the measured phases meet a settled database: the statistics describe the tables
 * (a plan made while they were empty scans them), the counter rows (account_counts, one upsert per
 * account) lose their dead versions, and the load's dirty pages are written. The bench's write
 * rounds make in a minute the dead rows an organization makes in weeks; without this, autovacuum
 * works on `accounts` while the next phase is timed.
 */
export async function settleDatabase(db: Database): Promise<void> {
  await db.execute(sql`vacuum analyze accounts, account_counts, role_assignments, audit_events`);
  await db.execute(sql`checkpoint`);
}

const managedAt = new Date().toISOString();
const fieldOwners = '{"userName":"scim","email":"scim","givenName":"scim","familyName":"scim"}';
const COPY_BATCH = 5_000;

/** One COPY of accounts n = from..to (text format: `line(n)` is one tab-separated row), in one transaction with triggers off. */
async function copyAccounts(db: Database, from: number, to: number, line: (n: number) => string, log: (line: string) => void) {
  const reserved = await clientOf(db).reserve();
  try {
    await reserved.unsafe('begin');
    await reserved.unsafe('set local session_replication_role = replica');
    const stream = await reserved
      .unsafe('copy accounts (organization_id, source, user_name, email, given_name, family_name, external_id, scim_managed_at, field_owners) from stdin')
      .writable();
    async function* batches() {
      for (let start = from; start <= to; start += COPY_BATCH) {
        let chunk = '';
        for (let n = start; n <= Math.min(to, start + COPY_BATCH - 1); n++) chunk += line(n);
        yield chunk;
        if ((start - from + COPY_BATCH) % 250_000 === 0) log(`  copied ${(start - from + COPY_BATCH).toLocaleString('en-US')} accounts`);
      }
    }
    await pipeline(Readable.from(batches()), stream);
    await reserved.unsafe('commit');
  } catch (error) {
    await reserved.unsafe('rollback').catch(() => undefined);
    throw error;
  } finally {
    reserved.release();
  }
  log(`  seeded ${(to - from + 1).toLocaleString('en-US')} accounts (COPY)`);
}

/** Up to `limit` active seeded accounts' ids, in random order. */
export async function activeSeedIds(db: Database, organizationId: string, limit: number): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(
    sql`select id from accounts where organization_id = ${organizationId}::uuid and status = 'active' and user_name like 'seed%' order by random() limit ${limit}`,
  );
  return rows.map((r) => r.id);
}
