import type { Database } from '@/db';
import { insertAttributeRule } from '@/db/queries/attribute-rules';
import { insertConnection } from '@/db/queries/connections';
import { insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import type { RuleConditions } from '@/db/schema';
import { provisionFromLogin, type LoginSuccess } from '@/lib/jit/provision-user';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';
import { measure } from '../measure';

/**
 * The JIT pipeline (`provisionFromLogin`) against real Postgres: first logins (account created,
 * birthright roles granted) and repeat logins, unchanged or with the department changing every
 * other login (attribute update plus a birthright role moving), at each concurrency.
 */
const DOMAIN = 'bench.test';
const context = { sessionMaxAgeSeconds: 3600, ip: '127.0.0.1', userAgent: 'roster-bench' };
type Department = 'Engineering' | 'Sales';

/** An organization shaped like a real one: a default role, two department rules and a group rule. */
async function setUp(db: Database): Promise<string> {
  const org = await insertOrganization(db, { slug: 'bench', name: 'Bench Corp' });
  const connection = await insertConnection(db, {
    organizationId: org.id,
    name: 'Bench IdP',
    protocol: 'oidc',
    issuer: 'https://idp.bench.test',
    clientId: 'roster',
    allowedDomains: [DOMAIN],
    defaultRoles: ['member'],
  });
  const rules: [string, RuleConditions][] = [
    ['engineering', { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Engineering' }] }],
    ['sales', { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Sales' }] }],
    ['staff', { match: 'any', conditions: [{ attribute: 'groups', op: 'in', value: ['staff', 'contractors'] }] }],
  ];
  await upsertRole(db, { organizationId: org.id, key: 'member', name: 'Member' });
  for (const [key, conditions] of rules) {
    const role = await upsertRole(db, { organizationId: org.id, key, name: key });
    await insertAttributeRule(db, { organizationId: org.id, name: `${key} rule`, roleId: role.id, conditions });
  }
  return connection.id;
}

function claims(subject: string, department: Department) {
  return {
    email: `${subject}@${DOMAIN}`,
    email_verified: true,
    given_name: 'Bench',
    family_name: subject,
    department,
    title: 'Engineer',
    groups: ['staff', 'everyone'],
  };
}

async function login(db: Database, connectionId: string, subject: string, department: Department): Promise<LoginSuccess> {
  const result = await provisionFromLogin(db, { connectionId, subject, claims: claims(subject, department) }, context);
  if (!result.ok) throw new Error(`bench login ${subject} refused: ${result.reason} ${result.detail ?? ''}`);
  return result;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench sanity check failed: ${message}`);
}

async function atConcurrency(ctx: BenchContext, connectionId: string, concurrency: number): Promise<BenchResult[]> {
  const { count, warmup } = ctx.options;
  const pool = ctx.connect(concurrency);
  const departments = new Map<string, Department>();
  const subject = (phase: 'warmup' | 'measure', i: number) => `c${concurrency}-${phase === 'warmup' ? 'w' : 'u'}${i}`;
  /** Repeat logins go round the accounts created by the measured first logins. */
  const existing = (i: number) => subject('measure', i % count);
  const run = (scenario: string, task: (i: number, phase: 'warmup' | 'measure') => Promise<void>) =>
    measure({ count, warmup, concurrency }, task).then((figures): BenchResult => {
      ctx.log(`  jit  ${scenario.padEnd(28)} c=${String(concurrency).padEnd(3)} ${figures.perSecond} logins/s`);
      return { case: 'jit', scenario, ...figures };
    });
  try {
    const first = await run('first login', async (i, phase) => {
      const result = await login(pool.db, connectionId, subject(phase, i), 'Engineering');
      check(result.created && result.rolesGranted === 3, 'a first login creates the account with 3 birthright roles');
      departments.set(subject(phase, i), 'Engineering');
    });
    const unchanged = await run('repeat login, unchanged', async (i) => {
      const result = await login(pool.db, connectionId, existing(i), departments.get(existing(i))!);
      check(!result.created && result.changed.length === 0, 'an unchanged repeat login changes nothing');
    });
    const moved = await run('repeat login, dept every 2nd', async (i) => {
      const name = existing(i);
      const current = departments.get(name)!;
      const next: Department = i % 2 === 1 ? (current === 'Engineering' ? 'Sales' : 'Engineering') : current;
      departments.set(name, next);
      const result = await login(pool.db, connectionId, name, next);
      check(result.changed.includes('department') === (next !== current), 'a department change is written exactly when sent');
    });
    return [first, unchanged, moved];
  } finally {
    await pool.close();
  }
}

export const jitCase: BenchCase = {
  name: 'jit',
  description: 'provisionFromLogin: first and repeat SSO logins',
  async run(ctx) {
    const setup = ctx.connect(1);
    const connectionId = await setUp(setup.db).finally(setup.close);
    const results: BenchResult[] = [];
    for (const concurrency of ctx.options.concurrencies) results.push(...(await atConcurrency(ctx, connectionId, concurrency)));
    return results;
  },
};
