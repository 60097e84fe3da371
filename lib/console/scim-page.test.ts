import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { insertScimRequests } from '@/db/queries/scim-requests';
import { upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { authenticateScim } from '@/lib/scim/authenticate';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { createTokenFromForm, createTokenSchema, revokeTokenFromForm, revokeTokenSchema } from './scim-actions';
import { loadScimPage } from './scim-page';

const db = testDb();
afterAll(closeTestDb);

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const create = (sessionId: string) => defineAdminAction('scim_token.create', createTokenSchema, createTokenFromForm, deps(sessionId));
const revoke = (sessionId: string) => defineAdminAction('scim_token.revoke', revokeTokenSchema, revokeTokenFromForm, deps(sessionId));

async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  return { org, connection, admin, auditor };
}

describe('the SCIM page', () => {
  it('lists refusals first, then the rest, each newest first; outcome=refused lists refusals only; nothing of another organization', async () => {
    const t = await tenant();
    const other = await makeOrganization(db);
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
    const row = (organizationId: string, path: string, status: number, minute: number) => ({ organizationId, method: 'GET', path, status, durationMs: 3, at: at(minute) });
    await insertScimRequests(db, [
      row(t.org.id, '/ok-oldest', 200, 0),
      row(t.org.id, '/refused-old', 400, 1),
      row(t.org.id, '/refused-new', 404, 2),
      row(t.org.id, '/ok-newest', 201, 3),
      row(other.org.id, '/theirs', 500, 4),
    ]);
    const all = await loadScimPage(db, t.org.id, { outcome: 'all' });
    expect(all.requests.map((r) => [r.path, r.refused])).toEqual([
      ['/refused-new', true],
      ['/refused-old', true],
      ['/ok-newest', false],
      ['/ok-oldest', false],
    ]);
    expect((await loadScimPage(db, t.org.id, { outcome: 'refused' })).requests.map((r) => r.path)).toEqual(['/refused-new', '/refused-old']);
    expect(all.baseUrl).toMatch(/\/api\/scim\/v2$/);
  });

  it('creates a token tied to a connection (shown once, with the tenant URLs), lists it without the secret, and revokes it: audited, refused at once', async () => {
    const t = await tenant();
    const state = await create(t.admin.sessionId)(undefined, form({ name: ' Entra ID ', connectionId: t.connection.id }));
    expect(state).toMatchObject({ ok: true, data: { name: 'Entra ID', token: expect.stringMatching(/^roster_scim_/), baseUrl: expect.stringMatching(/\/api\/scim\/v2$/), entraUrl: expect.stringMatching(/\/api\/scim\/v2\?aadOptscim062020$/) } });
    const token = state.data!.token;
    const page = await loadScimPage(db, t.org.id, { outcome: 'all' });
    expect(page.tokens).toEqual([{ id: expect.any(String), name: 'Entra ID', tokenPrefix: state.data!.tokenPrefix, connectionName: t.connection.name, createdAt: expect.any(Date), createdBy: t.admin.account.displayName ?? t.admin.account.userName, lastUsedAt: null, revokedAt: null }]);
    expect(JSON.stringify(page)).not.toContain(token);
    const tokenId = page.tokens[0]!.id;
    expect(await authenticateScim(db, `Bearer ${token}`)).toMatchObject({ organizationId: t.org.id, connectionId: t.connection.id });

    expect(await revoke(t.admin.sessionId)(undefined, form({ tokenId }))).toMatchObject({ ok: true, data: { message: expect.stringContaining('refused') } });
    await expect(authenticateScim(db, `Bearer ${token}`)).rejects.toMatchObject({ status: 401 });
    const events = await findAuditEvents(db, t.org.id, { actions: ['scim_token.created', 'scim_token.revoked'] });
    expect(events.map((e) => [e.action, e.actorType, e.actorId, e.targetId])).toEqual(
      expect.arrayContaining([
        ['scim_token.created', 'admin', t.admin.account.id, tokenId],
        ['scim_token.revoked', 'admin', t.admin.account.id, tokenId],
      ]),
    );
    expect(await revoke(t.admin.sessionId)(undefined, form({ tokenId }))).toEqual({ error: 'No such active SCIM token in this organization.' });
  });

  it('refuses bad input with a form message, another organization’s connection or token as not found, and an auditor (audited)', async () => {
    const t = await tenant();
    const other = await tenant();
    expect(await create(t.admin.sessionId)(undefined, form({ name: '  ' }))).toMatchObject({ error: 'Check the highlighted fields.', fieldErrors: { name: [expect.any(String)] } });
    expect(await create(t.admin.sessionId)(undefined, form({ name: 'x', connectionId: 'nope' }))).toMatchObject({ fieldErrors: { connectionId: ['Choose one of the connections.'] } });
    expect(await create(t.admin.sessionId)(undefined, form({ name: 'x', connectionId: other.connection.id }))).toEqual({ error: 'No such connection in this organization.' });
    const theirs = await create(other.admin.sessionId)(undefined, form({ name: 'theirs' }));
    const theirId = (await loadScimPage(db, other.org.id, { outcome: 'all' })).tokens[0]!.id;
    expect(await revoke(t.admin.sessionId)(undefined, form({ tokenId: theirId }))).toEqual({ error: 'No such active SCIM token in this organization.' });
    expect(await authenticateScim(db, `Bearer ${theirs.data!.token}`)).toMatchObject({ organizationId: other.org.id });
    expect(await revoke(t.admin.sessionId)(undefined, form({ tokenId: 'x' }))).toMatchObject({ fieldErrors: { tokenId: ['No such SCIM token.'] } });

    expect(await create(t.auditor.sessionId)(undefined, form({ name: 'sneaky' }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect((await loadScimPage(db, t.org.id, { outcome: 'all' })).tokens).toEqual([]);
    const refused = await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] });
    expect(refused).toEqual([expect.objectContaining({ actorId: t.auditor.account.id, data: expect.objectContaining({ action: 'scim_token.create' }) })]);
  });
});
