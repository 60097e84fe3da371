import { count, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { updateConnection } from '@/db/queries/connections';
import { accounts, auditEvents, externalIdentities, linkConflicts, roleAssignments, sessions } from '@/db/schema';
import { closeTestDb, makeAccount, makeOrganization, makeRuleRole, testDb } from '@/lib/testing/fixtures';
import { capClaims } from './cap-claims';
import { previewLogin, type LoginPreview } from './preview-login';
import { provisionFromLogin } from './provision-user';

const db = testDb();
afterAll(closeTestDb);

const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'sub-pat',
  email: 'pat@example.com',
  email_verified: true,
  given_name: 'Pat',
  family_name: 'Park',
  department: 'Engineering',
  groups: ['staff'],
  ...overrides,
});

/** Every row a sign-in could write, in one organization. */
async function rows(organizationId: string) {
  const n = async (table: typeof accounts | typeof externalIdentities | typeof roleAssignments | typeof sessions | typeof auditEvents | typeof linkConflicts) =>
    (await db.select({ n: count() }).from(table).where(eq(table.organizationId, organizationId)))[0]!.n;
  return { accounts: await n(accounts), identities: await n(externalIdentities), roles: await n(roleAssignments), sessions: await n(sessions), audit: await n(auditEvents), conflicts: await n(linkConflicts) };
}

async function preview(organizationId: string, connectionId: string, c: Record<string, unknown> = claims()): Promise<LoginPreview> {
  const before = await rows(organizationId);
  const result = await previewLogin(db, organizationId, { connectionId, subject: String(c.sub ?? ''), claims: c });
  expect(await rows(organizationId)).toEqual(before);
  return result;
}

async function orgWithRules(connection: Parameters<typeof makeOrganization>[1] = {}) {
  const made = await makeOrganization(db, { defaultRoles: ['member'], ...connection });
  await makeRuleRole(db, made.org.id, 'member', { match: 'all', conditions: [] });
  await makeRuleRole(db, made.org.id, 'engineering', { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'engineering' }] });
  return made;
}

describe('previewLogin', () => {
  it('a new person: would create the account with its birthright roles, and writes nothing', async () => {
    const { org, connection } = await orgWithRules();
    const result = await preview(org.id, connection.id);
    expect(result.refusal).toBeNull();
    expect(result.decision).toEqual({ kind: 'create', userName: 'pat@example.com' });
    expect(result.roles).toEqual({ grant: ['engineering', 'member'], revoke: [] });
    expect(result.mapped).toMatchObject({ email: 'pat@example.com', displayName: 'Pat Park', department: 'Engineering', groups: ['staff'] });
    expect(result.claims).toMatchObject({ sub: 'sub-pat', department: 'Engineering' });
    expect(result.checks.every((c) => c.ok)).toBe(true);
    expect((await rows(org.id)).accounts).toBe(0);
  });

  it('an existing identity: would update that account, with the fields and roles that change', async () => {
    const { org, connection } = await orgWithRules();
    const login = await provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-pat', claims: claims() }, { sessionMaxAgeSeconds: 3600 });
    if (!login.ok) throw new Error(login.reason);
    const result = await preview(org.id, connection.id, claims({ department: 'Sales', family_name: 'Parker' }));
    expect(result.decision).toEqual({ kind: 'update', accountId: login.accountId, userName: 'pat@example.com', changed: expect.arrayContaining(['department', 'familyName', 'displayName']) });
    expect(result.roles).toEqual({ grant: [], revoke: ['engineering'] });
    const [account] = await db.select({ department: accounts.department }).from(accounts).where(eq(accounts.id, login.accountId));
    expect(account!.department).toBe('Engineering');
  });

  it('a SCIM-provisioned person with a verified email: would link to that account', async () => {
    const { org, connection } = await orgWithRules();
    const scim = await makeAccount(db, org.id, { door: 'scim', userName: 'ppark', profile: { email: 'pat@example.com', department: 'Engineering' } });
    const result = await preview(org.id, connection.id);
    expect(result.decision).toMatchObject({ kind: 'link', accountId: scim.id, userName: 'ppark' });
    expect(result.roles.grant).toEqual(['engineering', 'member']);
  });

  it('two accounts that could be the person: refused as a conflict, and no conflict row is made', async () => {
    const { org, connection } = await orgWithRules();
    await makeAccount(db, org.id, { door: 'scim', userName: 'pat@example.com', profile: { email: 'other@example.com' } });
    await makeAccount(db, org.id, { door: 'scim', userName: 'ppark', profile: { email: 'pat@example.com' } });
    const result = await preview(org.id, connection.id);
    expect(result.refusal?.reason).toBe('account_conflict');
    expect(result.decision).toEqual({ kind: 'refused' });
  });

  it.each([
    ['a missing required claim', { requiredAttributes: ['department'] }, { department: undefined }, 'missing_claim', 'department'],
    ['a domain not allowed', {}, { email: 'pat@elsewhere.org' }, 'domain_not_allowed', 'elsewhere.org'],
    ['an unverified email', {}, { email_verified: false }, 'email_unverified', undefined],
    ['a mapped claim PostgreSQL cannot store', {}, { department: 'Eng\u0000' }, 'protocol_error', 'department contains the character U+0000'],
    ['a subject PostgreSQL cannot store', {}, { sub: 'sub\ud800' }, 'protocol_error', 'subject contains a lone UTF-16 surrogate'],
  ] as [string, { requiredAttributes?: string[] }, Record<string, unknown>, string, string | undefined][])('refuses %s the way the sign-in would, with the message the person gets', async (_name, connection, overrides, reason, detail) => {
    const { org, connection: conn } = await orgWithRules(connection);
    const result = await preview(org.id, conn.id, claims(overrides));
    expect(result.refusal).toMatchObject({ reason, ...(detail ? { detail } : {}) });
    expect(result.refusal?.message).toMatch(/\w/);
    expect(result.checks.some((c) => !c.ok)).toBe(true);
    expect(result.decision).toEqual({ kind: 'refused' });
  });

  it('JIT off: a new person is refused, a known one still goes through', async () => {
    const { org, connection } = await orgWithRules();
    const login = await provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-known', claims: claims({ sub: 'sub-known', email: 'known@example.com' }) }, { sessionMaxAgeSeconds: 3600 });
    expect(login.ok).toBe(true);
    await updateConnection(db, org.id, connection.id, { jitEnabled: false });
    expect((await preview(org.id, connection.id)).refusal?.reason).toBe('jit_disabled');
    expect((await preview(org.id, connection.id, claims({ sub: 'sub-known', email: 'known@example.com' }))).decision.kind).toBe('update');
  });

  it('a disabled connection is refused', async () => {
    const { org, connection } = await orgWithRules({ enabled: false });
    expect((await preview(org.id, connection.id)).refusal?.reason).toBe('connection_disabled');
  });

  it('tenancy: another organization’s connection is unknown, and its accounts are never looked at', async () => {
    const mine = await orgWithRules();
    const theirs = await orgWithRules();
    await provisionFromLogin(db, { connectionId: theirs.connection.id, subject: 'sub-pat', claims: claims() }, { sessionMaxAgeSeconds: 3600 });
    const result = await preview(mine.org.id, theirs.connection.id);
    expect(result.refusal?.reason).toBe('unknown_connection');
    expect(result.mapped).toBeNull();
  });
});

describe('capClaims', () => {
  it('bounds long texts, long lists and the total size, and says so', () => {
    const { claims: capped, truncated } = capClaims({ sub: 'x', note: 'a'.repeat(2000), groups: Array.from({ length: 500 }, (_, i) => `group-${i}`) });
    expect(truncated).toBe(true);
    expect((capped.note as string).length).toBeLessThan(600);
    expect((capped.groups as string[]).length).toBe(50);
    expect(JSON.stringify(capClaims(Object.fromEntries(Array.from({ length: 59 }, (_, i) => [`c${i}`, 'b'.repeat(499)]))).claims).length).toBeLessThan(17_000);
  });

  it('records texts and claim names PostgreSQL could not store with U+FFFD, and never cuts a surrogate pair', () => {
    const { claims: capped, truncated } = capClaims({ sub: 'x', note: 'a\u0000b', odd: 'c\ud800', ['k\u0000']: 'v', nested: { ['n\udc00']: ['d\u0000'] }, long: `${'a'.repeat(499)}😀` });
    expect(truncated).toBe(true);
    expect(capped).toMatchObject({ note: 'a\uFFFDb', odd: 'c\uFFFD', ['k\uFFFD']: 'v', nested: { ['n\uFFFD']: ['d\uFFFD'] } });
    expect(capped.long).toBe(`${'a'.repeat(499)}…`);
    expect(JSON.stringify(capped)).not.toMatch(/\\u0000|\\ud[89a-f]/i);
  });

  it('keeps small claims as they are', () => {
    expect(capClaims({ sub: 'x', groups: ['a'], n: 1 })).toEqual({ claims: { sub: 'x', groups: ['a'], n: 1 }, truncated: false });
  });
});
