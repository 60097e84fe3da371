import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getAccountById } from '@/db/queries/accounts';
import { suspendAccount } from '@/lib/lifecycle/account/set-account-status';
import { AppError } from '@/lib/errors';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { resolveAdmin } from './admin-gate';
import { defineAdminAction } from './define-action';

const db = testDb();
afterAll(closeTestDb);

class Redirected extends Error {}
const signedOut = (): never => {
  throw new Redirected('to /login');
};

/** An action that suspends an account by id, bound to a session id the way actions.ts binds it to the cookie. */
function suspendAction(sessionId: string | null) {
  const schema = z.object({ accountId: z.uuid('Choose an account'), reason: z.string().trim().min(3, 'Say why, in a few words') });
  return defineAdminAction(
    'accounts.suspend',
    schema,
    async (input, { tx, admin, command }) => {
      if (input.reason === 'boom') throw new Error('a bug');
      if (input.reason === 'gone') throw new AppError('not_found', 'No such account in this organization.');
      const result = await suspendAccount(tx, { organizationId: admin.organizationId, accountId: input.accountId, reason: input.reason }, command);
      return { status: result.account.status };
    },
    { db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: signedOut },
  );
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};

describe('defineAdminAction (the console server-action wrapper)', () => {
  it('runs the handler as the signed-in admin, in one unit of work audited with the admin as actor', async () => {
    const { org, connection } = await makeOrganization(db);
    const { account: admin, sessionId } = await makeAdminSession(db, org.id, connection.id);
    const target = await makeAccount(db, org.id);
    const state = await suspendAction(sessionId)(undefined, form({ accountId: target.id, reason: 'left the company' }));
    expect(state).toEqual({ ok: true, data: { status: 'suspended' } });
    const [event] = await findAuditEvents(db, org.id, { targetId: target.id, actions: ['account.suspended'] });
    expect(event).toMatchObject({ actorType: 'admin', actorId: admin.id, data: { reason: 'left the company' } });
  });

  it('refuses a field PostgreSQL cannot store (U+0000) as a form message, before the handler runs', async () => {
    const { org, connection } = await makeOrganization(db);
    const { sessionId } = await makeAdminSession(db, org.id, connection.id);
    const target = await makeAccount(db, org.id);
    // (FormData itself makes a lone surrogate U+FFFD, so only U+0000 reaches an action.)
    const state = await suspendAction(sessionId)(undefined, form({ accountId: target.id, reason: 'left\u0000the company' }));
    expect(state).toEqual({ error: 'Check the highlighted fields.', fieldErrors: { reason: ['This contains the character U+0000, which cannot be stored.'] } });
    expect(await getAccountById(db, org.id, target.id)).toMatchObject({ status: 'active' });
  });

  it('checks auth before parsing: signed out is sent to sign in, a non-admin is refused and audited, nothing runs', async () => {
    const { org, connection } = await makeOrganization(db);
    const target = await makeAccount(db, org.id);
    await expect(suspendAction(null)(undefined, form({ accountId: 'not-a-uuid', reason: '' }))).rejects.toBeInstanceOf(Redirected);
    const { account: member, sessionId } = await makeAdminSession(db, org.id, connection.id, { admin: false });
    expect(await suspendAction(sessionId)(undefined, form({ accountId: target.id, reason: 'left' }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await getAccountById(db, org.id, target.id)).toMatchObject({ status: 'active' });
    const [refused] = await findAuditEvents(db, org.id, { actions: ['admin.action_refused'] });
    expect(refused).toMatchObject({ actorId: member.id, data: { action: 'accounts.suspend' } });
  });

  it('answers bad input with field errors and expected failures with { error }; a bug is thrown; nothing half-written', async () => {
    const { org, connection } = await makeOrganization(db);
    const { sessionId } = await makeAdminSession(db, org.id, connection.id);
    const target = await makeAccount(db, org.id);
    const action = suspendAction(sessionId);
    expect(await action(undefined, form({ accountId: 'x', reason: 'a' }))).toEqual({
      error: 'Check the highlighted fields.',
      fieldErrors: { accountId: ['Choose an account'], reason: ['Say why, in a few words'] },
    });
    expect(await action(undefined, form({ accountId: target.id, reason: 'gone' }))).toEqual({ error: 'No such account in this organization.' });
    await expect(action(undefined, form({ accountId: target.id, reason: 'boom' }))).rejects.toThrow('a bug');
    expect(await getAccountById(db, org.id, target.id)).toMatchObject({ status: 'active' });
  });

  it('refuses a revoked session and an account no longer active, at once', async () => {
    const { org, connection } = await makeOrganization(db);
    const { account, sessionId } = await makeAdminSession(db, org.id, connection.id);
    expect(await resolveAdmin(db, sessionId)).toMatchObject({ kind: 'admin' });
    await makeAdminSession(db, org.id, connection.id).then(({ sessionId: other }) =>
      suspendAction(other)(undefined, form({ accountId: account.id, reason: 'compromised' })),
    );
    expect(await resolveAdmin(db, sessionId)).toEqual({ kind: 'signed_out' });
  });
});
