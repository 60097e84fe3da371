import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { bulkSchema, runAccountsBulk } from './bulk-accounts';

const db = testDb();
afterAll(closeTestDb);

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};

async function tenant() {
  const { org, connection } = await makeOrganization(db);
  const admin = await makeAdminSession(db, org.id, connection.id);
  const bulk = defineAdminAction('accounts.bulk', bulkSchema, runAccountsBulk, { db: () => db, gate: () => resolveAdmin(db, admin.sessionId), onSignedOut: () => { throw new Error('signed out'); } });
  const target = await makeAccount(db, org.id, { userName: 'target@example.com' });
  return { org, bulk, target };
}

describe('bulk actions over a filter', () => {
  it('act on exactly what the filter matches', async () => {
    const a = await tenant();
    const state = await a.bulk(undefined, form({ action: 'suspend', scope: 'filter', filter: 'q=target', dryRun: '0', reason: 'test' }));
    expect(state).toMatchObject({ ok: true });
    expect(await getAccountById(db, a.org.id, a.target.id)).toMatchObject({ status: 'suspended' });
  });

  it.each(['stauts=active', 'status=actve', 'q=target&source=ldap', 'connection=not-a-uuid'])('refuse a filter that is not valid (%s) rather than widen it, and change nothing', async (filter) => {
    const a = await tenant();
    const state = await a.bulk(undefined, form({ action: 'suspend', scope: 'filter', filter, dryRun: '0', reason: 'test' }));
    expect(state.error).toMatch(/^The filter is not valid \(.+\); nothing was changed\.$/);
    expect(await getAccountById(db, a.org.id, a.target.id)).toMatchObject({ status: 'active', version: a.target.version });
  });
});
