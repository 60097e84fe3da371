import { createDatabase } from '@/db';
import { ensureDatabase } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { insertAttributeRule } from '@/db/queries/attribute-rules';
import { insertConnection } from '@/db/queries/connections';
import { insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import { createScimToken } from '@/lib/scim/create-token';
import { handleScimRequest } from '@/lib/scim/handle-request';
import { runBounded } from './measure';

const base = 'postgres://roster:roster-local-only@127.0.0.1:54657/';
const q = '?host=/tmp';
const mode = process.argv[2] ?? 'create';
const N = Number(process.argv[3] ?? 2000);
const C = Number(process.argv[4] ?? 8);
await ensureDatabase(base + 'postgres', 'roster_prof', { recreate: true });
await runMigrations(base + 'roster_prof');
if (process.env.ANALYZE) { const s = (await import('postgres')).default(base + 'roster_prof'); await s.unsafe('analyze'); await s.end(); }
const { db, sql } = createDatabase(base + 'roster_prof' + q, { max: C + 2 });
const org = await insertOrganization(db, { slug: 'p', name: 'P' });
const connection = await insertConnection(db, { organizationId: org.id, name: 'B', protocol: 'oidc', issuer: 'https://idp.p.test', clientId: 'r', allowedDomains: ['scim.bench.test'], defaultRoles: ['member'] });
await upsertRole(db, { organizationId: org.id, key: 'member', name: 'Member' });
const role = await upsertRole(db, { organizationId: org.id, key: 'engineering', name: 'Engineering' });
await insertAttributeRule(db, { organizationId: org.id, name: 'engineering', roleId: role.id, conditions: { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Engineering' }] } });
const { token } = await createScimToken(db, { organizationId: org.id, connectionId: connection.id, name: 'bench' }, { type: 'system' });
const body = (u: string) => JSON.stringify({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  userName: u, externalId: `ext-${u}`, active: true, name: { givenName: 'Bench', familyName: u },
  emails: [{ value: `${u}@scim.bench.test`, type: 'work', primary: true }],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Engineering' },
});
const req = (method: string, path: string, b: string | null, q = '') => handleScimRequest(db, { method, path, query: new URLSearchParams(q), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }, body: b, baseUrl: 'https://x/api/scim/v2' });
const go = async (label: string, n: number, c: number, task: (i: number) => Promise<void>) => {
  const { execSync } = await import('node:child_process');
  const pg0 = execSync('/tmp/pgcpu.sh').toString().trim().split(' ').map(Number);
  const [w0] = await sql`select pg_current_wal_insert_lsn() as l`;
  const cpu0 = process.cpuUsage();
  const s = await runBounded(n, c, task);
  const cpu = process.cpuUsage(cpu0);
  const [w1] = await sql`select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), ${w0!.l}) as d`;
  console.log(label, 'wal bytes/op', Math.round(Number(w1!.d) / n));
  const pg1 = execSync('/tmp/pgcpu.sh').toString().trim().split(' ').map(Number);
  console.log(label, 'pg cpu/op µs', ((pg1[0]! - pg0[0]!) * 10000 / n).toFixed(0), 'machine cpu/op µs', ((pg1[1]! - pg0[1]!) * 10000 / n).toFixed(0));
  console.log(label, 'cpu/op µs user', (cpu.user / n).toFixed(0), 'sys', (cpu.system / n).toFixed(0));
  const l = [...s.latenciesMs].sort((a, b) => a - b);
  console.log(label, (n / s.wallMs * 1000).toFixed(1), '/s p50', l[Math.floor(n / 2)]!.toFixed(2), 'p99', l[Math.floor(n * 0.99)]!.toFixed(2));
};
if (mode === 'raw') {
  const { accounts } = await import('@/db/schema');
  const { sql: dsql } = await import('drizzle-orm');
  const q = db.insert(accounts).values({ organizationId: dsql.placeholder('o'), source: 'manual', userName: dsql.placeholder('u') }).prepare('raw');
  await go('warm', 500, C, async (i) => { await q.execute({ o: org.id, u: `rw${i}` }); });
  await go('raw', N, C, async (i) => { await q.execute({ o: org.id, u: `r${i}` }); });
} else if (mode === 'create') {
  await go('warm', 200, C, async (i) => { const r = await req('POST', '/Users', body(`w${i}`)); if (r.status !== 201) throw new Error(JSON.stringify(r.body)); });
  await go('create', N, C, async (i) => { const r = await req('POST', '/Users', body(`u${i}`)); if (r.status !== 201) throw new Error(JSON.stringify(r.body)); });
} else {
  await sql.unsafe(`insert into accounts (organization_id, source, user_name, email, given_name, family_name, external_id, scim_managed_at, scim_owned_fields)
    select '${org.id}'::uuid, 'scim', 'seed' || n, 'seed' || n || '@scim.bench.test', 'Seed', 'User ' || n, 'ext-seed' || n, now(), '{userName,email,givenName,familyName}' from generate_series(1, 100000) n`);
  await sql.unsafe('vacuum analyze accounts, account_counts');
  await go('random', N, 1, async () => { await req('GET', '/Users', null, `startIndex=${1 + Math.floor(Math.random() * 99900)}&count=100`); });
  await go('first', 200, 1, async () => { await req('GET', '/Users', null, 'startIndex=1&count=100'); });
  await go('first', N, 1, async () => { await req('GET', '/Users', null, 'startIndex=1&count=100'); });
  await go('random', N, 1, async () => { await req('GET', '/Users', null, `startIndex=${1 + Math.floor(Math.random() * 99900)}&count=100`); });
  await go('eq', N, 1, async () => { await req('GET', '/Users', null, `filter=${encodeURIComponent(`userName eq "SEED${1 + Math.floor(Math.random() * 50000)}"`)}`); });
}
await sql.end();
