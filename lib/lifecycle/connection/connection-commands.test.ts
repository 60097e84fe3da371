import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getConnectionById, getConnectionImpact } from '@/db/queries/connections';
import { findAssignments } from '@/db/queries/role-assignments';
import { getRoleByKey, upsertRole } from '@/db/queries/roles';
import { insertScimToken, revokeScimToken } from '@/db/queries/scim-tokens';
import { getLiveSession } from '@/db/queries/sessions';
import { changeAccess } from '@/lib/lifecycle/access/gate';
import { linkIdentity } from '@/lib/lifecycle/identity/link-identity';
import { openSession } from '@/lib/lifecycle/session/open-session';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, makeRuleRole, testDb } from '@/lib/testing/fixtures';
import { deleteConnectionAndIdentities } from './delete-connection';
import { setConnectionEnabled } from './set-connection-enabled';
import { updateConnectionSettings } from './update-connection';

const db = testDb();
afterAll(closeTestDb);

/** An organization whose connection has a default role, and one account signed in through it (an identity, a live session, the default role). */
async function tenant() {
  const { org, connection } = await makeOrganization(db, { defaultRoles: ['member'] });
  const role = await upsertRole(db, { organizationId: org.id, key: 'member', name: 'Member' });
  const account = await makeAccount(db, org.id, { door: 'jit' });
  const { sessionId } = await asAdmin(db, async (tx, ctx) => {
    const { identityId } = await linkIdentity(tx, { organizationId: org.id, accountId: account.id, connectionId: connection.id, subject: `sub-${account.id}`, via: 'jit_create' }, ctx);
    await changeAccess(tx, { organizationId: org.id, grants: [{ accountId: account.id, roleId: role.id, source: 'birthright', sourceRef: `connection:${connection.id}` }] }, ctx);
    return openSession(tx, { account, identityId, connection: { id: connection.id, protocol: 'oidc' }, request: { maxAgeSeconds: 3600 }, jitCreated: false }, ctx);
  });
  return { org, connection, account, role, sessionId };
}
const events = (organizationId: string, action: string) => findAuditEvents(db, organizationId, { actions: [action] });

describe('updateConnectionSettings', () => {
  it('changes what is given, creates missing default roles, and audits the fields with before and after (the secret only named)', async () => {
    const t = await tenant();
    const result = await asAdmin(db, (tx, ctx) =>
      updateConnectionSettings(tx, { organizationId: t.org.id, connectionId: t.connection.id, changes: { allowedDomains: ['example.com', 'example.org'], defaultRoles: ['member', 'staff'], claimMapping: { department: 'dept' }, jitEnabled: false, name: 'Test IdP', clientSecretEncrypted: 'sealed' } }, ctx),
    );
    expect(result.changed).toEqual(['allowedDomains', 'defaultRoles', 'claimMapping', 'jitEnabled', 'clientSecret']);
    expect(await getConnectionById(db, t.connection.id)).toMatchObject({ allowedDomains: ['example.com', 'example.org'], defaultRoles: ['member', 'staff'], claimMapping: { department: 'dept' }, jitEnabled: false });
    const [event] = await events(t.org.id, 'connection.updated');
    expect(event).toMatchObject({
      actorType: 'admin',
      targetType: 'connection',
      targetId: t.connection.id,
      before: { allowedDomains: ['example.com'], defaultRoles: ['member'], claimMapping: {}, jitEnabled: true },
      after: { allowedDomains: ['example.com', 'example.org'], defaultRoles: ['member', 'staff'], claimMapping: { department: 'dept' }, jitEnabled: false },
      data: { name: 'Test IdP', changed: ['allowedDomains', 'defaultRoles', 'claimMapping', 'jitEnabled', 'clientSecret'] },
    });
    expect(JSON.stringify(event)).not.toContain('sealed');
    expect(await getRoleByKey(db, t.org.id, 'staff')).toMatchObject({ key: 'staff' });
  });

  it('writes and audits nothing when nothing differs; refuses SAML settings on an OIDC connection and another organization’s connection', async () => {
    const t = await tenant();
    const other = await tenant();
    const same = await asAdmin(db, (tx, ctx) => updateConnectionSettings(tx, { organizationId: t.org.id, connectionId: t.connection.id, changes: { allowedDomains: ['example.com'], jitEnabled: true } }, ctx));
    expect(same.changed).toEqual([]);
    await expect(asAdmin(db, (tx, ctx) => updateConnectionSettings(tx, { organizationId: t.org.id, connectionId: t.connection.id, changes: { samlMetadata: '<x/>' } }, ctx))).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(asAdmin(db, (tx, ctx) => updateConnectionSettings(tx, { organizationId: t.org.id, connectionId: other.connection.id, changes: { name: 'Mine now' } }, ctx))).rejects.toMatchObject({ code: 'not_found' });
    expect(await getConnectionById(db, other.connection.id)).toMatchObject({ name: 'Test IdP' });
    expect(await events(t.org.id, 'connection.updated')).toEqual([]);
  });
});

describe('setConnectionEnabled', () => {
  it('disabling ends the sessions through it and keeps the accounts, identities and roles; again is a no-op; enabling turns it back on', async () => {
    const t = await tenant();
    const off = await asAdmin(db, (tx, ctx) => setConnectionEnabled(tx, { organizationId: t.org.id, connectionId: t.connection.id, enabled: false }, ctx));
    expect(off).toMatchObject({ changed: true, sessionsRevoked: 1, accounts: 1, connection: { enabled: false } });
    expect(await getLiveSession(db, t.sessionId)).toBeNull();
    expect(await getAccountById(db, t.org.id, t.account.id)).toMatchObject({ status: 'active' });
    expect(await getConnectionImpact(db, t.org.id, t.connection.id)).toMatchObject({ accounts: 1, identities: 1, openSessions: 0 });
    expect(await findAssignments(db, t.org.id, [t.account.id])).toHaveLength(1);
    expect(await asAdmin(db, (tx, ctx) => setConnectionEnabled(tx, { organizationId: t.org.id, connectionId: t.connection.id, enabled: false }, ctx))).toMatchObject({ changed: false });
    expect(await events(t.org.id, 'connection.disabled')).toEqual([expect.objectContaining({ targetId: t.connection.id, data: { name: 'Test IdP', accounts: 1, sessionsRevoked: 1 } })]);
    await asAdmin(db, (tx, ctx) => setConnectionEnabled(tx, { organizationId: t.org.id, connectionId: t.connection.id, enabled: true }, ctx));
    expect(await getConnectionById(db, t.connection.id)).toMatchObject({ enabled: true });
    expect(await events(t.org.id, 'connection.enabled')).toHaveLength(1);
  });
});

describe('deleteConnectionAndIdentities', () => {
  it('refuses while accounts sign in through it, saying what would happen, and changes nothing', async () => {
    const t = await tenant();
    const refused = asAdmin(db, (tx, ctx) => deleteConnectionAndIdentities(tx, { organizationId: t.org.id, connectionId: t.connection.id }, ctx));
    await expect(refused).rejects.toMatchObject({ code: 'conflict', details: { reason: 'in_use', impact: { accounts: 1, onlyWayIn: 1, identities: 1, openSessions: 1 } } });
    await expect(refused).rejects.toThrow(/1 account signs in through it: the accounts stay .* 1 open session through it end now/);
    expect(await getConnectionById(db, t.connection.id)).not.toBeNull();
    expect(await getLiveSession(db, t.sessionId)).not.toBeNull();
    expect(await events(t.org.id, 'connection.deleted')).toEqual([]);
  });

  it('with force: deletes it and its identities, ends its sessions, revokes its default roles, keeps the accounts; audited', async () => {
    const t = await tenant();
    const done = await asAdmin(db, (tx, ctx) => deleteConnectionAndIdentities(tx, { organizationId: t.org.id, connectionId: t.connection.id, force: true }, ctx));
    expect(done).toMatchObject({ accounts: 1, identities: 1, onlyWayIn: 1, sessionsRevoked: 1, rolesRevoked: 1, forced: true });
    expect(await getConnectionById(db, t.connection.id)).toBeNull();
    expect(await getAccountById(db, t.org.id, t.account.id)).toMatchObject({ status: 'active' });
    expect(await getLiveSession(db, t.sessionId)).toBeNull();
    expect(await findAssignments(db, t.org.id, [t.account.id])).toEqual([]);
    expect(await events(t.org.id, 'role.revoked')).toEqual([expect.objectContaining({ targetId: t.account.id, data: expect.objectContaining({ sourceRef: `connection:${t.connection.id}`, reason: 'connection Test IdP deleted' }) })]);
    expect(await events(t.org.id, 'connection.deleted')).toEqual([expect.objectContaining({ targetId: t.connection.id, before: expect.objectContaining({ name: 'Test IdP' }), data: expect.objectContaining({ identities: 1, forced: true }) })]);
  });

  it('deletes an unused connection without force; refuses one with its own rules or a live SCIM token, even with force', async () => {
    const { org, connection } = await makeOrganization(db);
    const { org: org2, connection: withRule } = await makeOrganization(db);
    await makeRuleRole(db, org2.id, 'eng', { match: 'all', conditions: [] }, withRule.id);
    await expect(asAdmin(db, (tx, ctx) => deleteConnectionAndIdentities(tx, { organizationId: org2.id, connectionId: withRule.id, force: true }, ctx))).rejects.toMatchObject({ code: 'conflict', details: { reason: 'rules' } });
    const token = await insertScimToken(db, { organizationId: org.id, connectionId: connection.id, name: 'push', tokenHash: randomUUID(), tokenPrefix: 'rst_' });
    await expect(asAdmin(db, (tx, ctx) => deleteConnectionAndIdentities(tx, { organizationId: org.id, connectionId: connection.id, force: true }, ctx))).rejects.toMatchObject({ code: 'conflict', details: { reason: 'scim_tokens' } });
    await revokeScimToken(db, org.id, token.id);
    expect(await asAdmin(db, (tx, ctx) => deleteConnectionAndIdentities(tx, { organizationId: org.id, connectionId: connection.id }, ctx))).toMatchObject({ accounts: 0, forced: false });
    await expect(asAdmin(db, (tx, ctx) => deleteConnectionAndIdentities(tx, { organizationId: org2.id, connectionId: connection.id, force: true }, ctx))).rejects.toMatchObject({ code: 'not_found' });
  });
});
