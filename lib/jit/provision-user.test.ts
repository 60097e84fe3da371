import { randomUUID } from 'node:crypto';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { findAccountRoles } from '@/db/queries/roles';
import { getLiveSession } from '@/db/queries/sessions';
import { accounts, auditEvents, externalIdentities, sessions } from '@/db/schema';
import { pgError } from '@/lib/errors';
import { setAccountStatus } from '@/lib/lifecycle/account/set-account-status';
import { inTransaction } from '@/lib/lifecycle/context';
import { closeTestDb, makeOrganization, makeRuleRole, testDb } from '@/lib/testing/fixtures';
import { provisionFromLogin, type LoginResult, type LoginSuccess } from './provision-user';

const db = testDb();
const ctx = { sessionMaxAgeSeconds: 3600, ip: '127.0.0.1', userAgent: 'vitest' };
afterAll(closeTestDb);

function claims(overrides: Record<string, unknown> = {}) {
  return {
    sub: 'sub-alice',
    email: 'alice@example.com',
    email_verified: true,
    given_name: 'Alice',
    family_name: 'Anders',
    department: 'Engineering',
    title: 'Engineer',
    groups: ['staff'],
    ...overrides,
  };
}

function ok(result: LoginResult): LoginSuccess {
  if (!result.ok) throw new Error(`login refused: ${result.reason} ${result.detail ?? ''}`);
  return result;
}

async function accountCount(organizationId: string) {
  const [row] = await db.select({ n: count() }).from(accounts).where(eq(accounts.organizationId, organizationId));
  return row!.n;
}

async function actions(organizationId: string) {
  return (await findAuditEvents(db, organizationId, { limit: 200 })).map((e) => e.action).reverse();
}

describe('provisionFromLogin', () => {
  it('records each sign-in: first and last sign-in, last activity (never moved back), the identity, the session', async () => {
    const { connection } = await makeOrganization(db);
    const at = (iso: string) => ({ ...ctx, now: new Date(iso) });
    const login = (iso: string) => provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-times', claims: claims({ email: 'times@example.com' }) }, at(iso)).then(ok);
    const first = await login('2026-03-01T09:00:00Z');
    const second = await login('2026-03-02T09:00:00Z');
    const late = await login('2026-03-01T12:00:00Z'); // a sign-in whose clock is behind the last one
    const [account] = await db.select().from(accounts).where(eq(accounts.id, first.accountId));
    expect(account).toMatchObject({
      firstLoginAt: new Date('2026-03-01T09:00:00Z'),
      lastLoginAt: new Date('2026-03-01T12:00:00Z'),
      lastActivityAt: new Date('2026-03-02T09:00:00Z'),
    });
    const [identity] = await db.select().from(externalIdentities).where(eq(externalIdentities.accountId, first.accountId));
    expect(identity!.lastLoginAt).toEqual(new Date('2026-03-01T12:00:00Z'));
    const opened = await db.select().from(sessions).where(eq(sessions.accountId, first.accountId)).orderBy(sessions.expiresAt);
    expect(opened.map((s) => [s.id, s.connectionId, s.expiresAt.toISOString(), s.ip, s.userAgent])).toEqual([
      [first.sessionId, connection.id, '2026-03-01T10:00:00.000Z', '127.0.0.1', 'vitest'],
      [late.sessionId, connection.id, '2026-03-01T13:00:00.000Z', '127.0.0.1', 'vitest'],
      [second.sessionId, connection.id, '2026-03-02T10:00:00.000Z', '127.0.0.1', 'vitest'],
    ]);
    expect(second.sessionExpiresAt).toEqual(new Date('2026-03-02T10:00:00Z'));
  });

  it('creates the account on first login from mapped claims, grants birthright roles and audits it', async () => {
    const { org, connection } = await makeOrganization(db, { defaultRoles: ['member'] });
    await makeRuleRole(db, org.id, 'member', { match: 'all', conditions: [] });
    const { role: eng } = await makeRuleRole(db, org.id, 'engineering', {
      match: 'all',
      conditions: [{ attribute: 'department', op: 'eq', value: 'engineering' }],
    });

    const result = ok(await provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-alice', claims: claims() }, ctx));

    expect(result.created).toBe(true);
    expect(result.organizationId).toBe(org.id);
    const [account] = await db.select().from(accounts).where(eq(accounts.id, result.accountId));
    expect(account).toMatchObject({
      source: 'jit',
      status: 'active',
      userName: 'alice@example.com',
      email: 'alice@example.com',
      displayName: 'Alice Anders',
      department: 'Engineering',
      title: 'Engineer',
    });
    expect(account!.firstLoginAt).not.toBeNull();
    const roles = await findAccountRoles(db, org.id, result.accountId);
    expect(roles.map((r) => [r.key, r.source]).sort()).toEqual([
      ['engineering', 'birthright'],
      ['member', 'birthright'],
      ['member', 'birthright'],
    ]);
    expect(roles.find((r) => r.key === 'engineering')!.roleId).toBe(eng.id);
    expect(await actions(org.id)).toEqual(['account.jit_created', 'role.granted', 'role.granted', 'role.granted', 'login.succeeded']);
    expect(await getLiveSession(db, result.sessionId)).toMatchObject({ accountId: result.accountId, organizationId: org.id });
  });

  it('updates attributes on later logins and moves birthright roles with them (mover)', async () => {
    const { org, connection } = await makeOrganization(db);
    await makeRuleRole(db, org.id, 'engineering', { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Engineering' }] });
    await makeRuleRole(db, org.id, 'sales', { match: 'any', conditions: [{ attribute: 'department', op: 'eq', value: 'Sales' }] });
    const identity = { connectionId: connection.id, subject: 'sub-alice' };
    const first = ok(await provisionFromLogin(db, { ...identity, claims: claims() }, ctx));

    const second = ok(await provisionFromLogin(db, { ...identity, claims: claims({ department: 'Sales', title: 'Account Executive' }) }, ctx));

    expect(second.created).toBe(false);
    expect(second.accountId).toBe(first.accountId);
    expect(second.changed.sort()).toEqual(['department', 'title']);
    expect((await findAccountRoles(db, org.id, first.accountId)).map((r) => r.key)).toEqual(['sales']);
    const [updated] = await findAuditEvents(db, org.id, { actions: ['account.updated'] });
    expect(updated).toMatchObject({
      before: { department: 'Engineering', title: 'Engineer' },
      after: { department: 'Sales', title: 'Account Executive' },
    });
    const revoked = await findAuditEvents(db, org.id, { actions: ['role.revoked'] });
    expect(revoked).toHaveLength(1);
    // A mover's sign-in audits the update, then the role changes, and login.succeeded last.
    expect((await actions(org.id)).slice(-4)).toEqual(['account.updated', 'role.granted', 'role.revoked', 'login.succeeded']);

    const third = ok(await provisionFromLogin(db, { ...identity, claims: claims({ department: 'Sales', title: 'Account Executive' }) }, ctx));
    expect(third.changed).toEqual([]);
    expect(third.rolesGranted + third.rolesRevoked).toBe(0);
  });

  it('produces exactly one account from many simultaneous first logins of one person', async () => {
    const { org, connection } = await makeOrganization(db, { defaultRoles: ['member'] });
    await makeRuleRole(db, org.id, 'member', { match: 'all', conditions: [{ attribute: 'email', op: 'exists' }] });
    const results = await Promise.all(
      Array.from({ length: 16 }, () => provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-race', claims: claims({ sub: 'sub-race' }) }, ctx)),
    );
    const successes = results.map(ok);
    expect(new Set(successes.map((r) => r.accountId)).size).toBe(1);
    expect(successes.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(successes.map((r) => r.sessionId)).size).toBe(16);
    expect(await accountCount(org.id)).toBe(1);
    const [identities] = await db.select({ n: count() }).from(externalIdentities).where(eq(externalIdentities.organizationId, org.id));
    expect(identities!.n).toBe(1);
    expect(await findAuditEvents(db, org.id, { actions: ['account.jit_created'] })).toHaveLength(1);
    expect(await findAccountRoles(db, org.id, successes[0]!.accountId)).toHaveLength(2);
  });

  it.each([
    ['missing_claim', { email: undefined }, 'email'],
    ['email_unverified', { email_verified: 'false' }, null],
    ['domain_not_allowed', { email: 'mallory@evil.test' }, 'evil.test'],
  ] as const)('refuses %s, creates nothing and audits login.rejected', async (reason, overrides, detail) => {
    const { org, connection } = await makeOrganization(db);
    const result = await provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-x', claims: claims(overrides) }, ctx);
    expect(result).toMatchObject({ ok: false, reason, organizationId: org.id });
    expect(await accountCount(org.id)).toBe(0);
    const [event] = await findAuditEvents(db, org.id);
    expect(event).toMatchObject({ action: 'login.rejected', data: { reason, detail, connectionId: connection.id, subject: 'sub-x' } });
  });

  it.each([
    ['U+0000 in a mapped claim', 'sub-x', { family_name: 'An\u0000ders' }, 'contains the character U+0000', 'sub-x'],
    ['a lone surrogate in a mapped claim', 'sub-x', { department: 'Eng\ud800' }, 'department contains a lone UTF-16 surrogate', 'sub-x'],
    ['U+0000 in a mapped list (groups)', 'sub-x', { groups: ['staff', 'a\u0000b'] }, 'groups contains the character U+0000', 'sub-x'],
    ['U+0000 in the subject', 'sub\u0000x', {}, 'subject contains the character U+0000', 'sub\uFFFDx'],
  ] as const)('refuses %s (PostgreSQL cannot store it) as protocol_error, creates nothing and audits it', async (_, subject, overrides, detail, recorded) => {
    const { org, connection } = await makeOrganization(db);
    const result = await provisionFromLogin(db, { connectionId: connection.id, subject, claims: claims(overrides) }, ctx);
    expect(result).toMatchObject({ ok: false, reason: 'protocol_error', organizationId: org.id, detail: expect.stringContaining(detail) });
    expect(await accountCount(org.id)).toBe(0);
    const [event] = await findAuditEvents(db, org.id);
    expect(event).toMatchObject({ action: 'login.rejected', data: { reason: 'protocol_error', detail: expect.stringContaining(detail), connectionId: connection.id, subject: recorded } });
  });

  it('signs in with an unmapped claim PostgreSQL could not store (it is not written)', async () => {
    const { org, connection } = await makeOrganization(db);
    ok(await provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-odd', claims: claims({ email: 'odd@example.com', note: 'x\u0000y', other: 'z\udc00' }) }, ctx));
    expect(await accountCount(org.id)).toBe(1);
  });

  it('refuses a missing subject, a disabled connection, an unknown connection and JIT turned off', async () => {
    const { org, connection } = await makeOrganization(db, { jitEnabled: false });
    expect(await provisionFromLogin(db, { connectionId: connection.id, subject: '  ', claims: claims() }, ctx)).toMatchObject({ reason: 'missing_claim' });
    expect(await provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-a', claims: claims() }, ctx)).toMatchObject({ reason: 'jit_disabled' });
    const disabled = await makeOrganization(db, { enabled: false });
    expect(await provisionFromLogin(db, { connectionId: disabled.connection.id, subject: 'sub-a', claims: claims() }, ctx)).toMatchObject({
      reason: 'connection_disabled',
    });
    expect(await provisionFromLogin(db, { connectionId: randomUUID(), subject: 'sub-a', claims: claims() }, ctx)).toMatchObject({
      reason: 'unknown_connection',
      organizationId: null,
    });
    expect(await accountCount(org.id)).toBe(0);
    expect(await accountCount(disabled.org.id)).toBe(0);
  });

  it.each([
    ['suspended', 'account_suspended'],
    ['deprovisioned', 'account_deprovisioned'],
    ['pending_approval', 'account_pending_approval'],
  ] as const)('refuses a %s account, audits it and revokes its sessions', async (status, reason) => {
    const { org, connection } = await makeOrganization(db);
    const identity = { connectionId: connection.id, subject: 'sub-alice', claims: claims() };
    const first = ok(await provisionFromLogin(db, identity, ctx));
    await inTransaction(db, { actor: { type: 'admin', id: 'test' } }, (tx, ctx) => setAccountStatus(tx, { organizationId: org.id, accountId: first.accountId, status }, ctx));

    expect(await getLiveSession(db, first.sessionId)).toBeNull();
    const result = await provisionFromLogin(db, { ...identity, claims: claims({ department: 'Changed' }) }, ctx);
    expect(result).toMatchObject({ ok: false, reason });
    const [account] = await db.select().from(accounts).where(eq(accounts.id, first.accountId));
    expect(account!.department).toBe('Engineering');
    const [event] = await findAuditEvents(db, org.id, { actions: ['login.rejected'] });
    expect(event).toMatchObject({ targetType: 'account', targetId: first.accountId, data: { reason } });
  });

  it('never links by email: another connection with the same email is refused as a conflict', async () => {
    const { org, connection } = await makeOrganization(db);
    const first = ok(await provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-alice', claims: claims() }, ctx));
    const { insertConnection } = await import('@/db/queries/connections');
    const other = await insertConnection(db, { organizationId: org.id, name: 'Second IdP', protocol: 'oidc', allowedDomains: ['example.com'] });

    const result = await provisionFromLogin(db, { connectionId: other.id, subject: 'other-sub', claims: claims({ sub: 'other-sub' }) }, ctx);

    expect(result).toMatchObject({ ok: false, reason: 'account_conflict' });
    expect(await accountCount(org.id)).toBe(1);
    const identities = await db.select().from(externalIdentities).where(eq(externalIdentities.accountId, first.accountId));
    expect(identities.map((i) => i.connectionId)).toEqual([connection.id]);
  });

  it('keeps organizations apart: the same subject and email in two organizations are two accounts', async () => {
    const a = await makeOrganization(db);
    const b = await makeOrganization(db);
    const ra = ok(await provisionFromLogin(db, { connectionId: a.connection.id, subject: 'same', claims: claims() }, ctx));
    const rb = ok(await provisionFromLogin(db, { connectionId: b.connection.id, subject: 'same', claims: claims() }, ctx));
    expect(ra.accountId).not.toBe(rb.accountId);
    expect([ra.organizationId, rb.organizationId]).toEqual([a.org.id, b.org.id]);
  });

  it('keeps the audit trail append-only', async () => {
    const { org, connection } = await makeOrganization(db);
    ok(await provisionFromLogin(db, { connectionId: connection.id, subject: 'sub-alice', claims: claims() }, ctx));
    const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => pgError(e)?.message);
    expect(await failure(db.execute(sql`update audit_events set action = 'x' where organization_id = ${org.id}`))).toMatch(/append-only/);
    expect(await failure(db.delete(auditEvents).where(and(eq(auditEvents.organizationId, org.id))))).toMatch(/append-only/);
    expect(await findAuditEvents(db, org.id)).toHaveLength(2);
  });
});
