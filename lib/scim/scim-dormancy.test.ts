import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDormancySweep } from '@/lib/governance/dormancy/sweep';
import { withPolicy, accountState, eventsOf } from '@/lib/governance/dormancy/testing/fixtures';
import { restoreAccount } from '@/lib/lifecycle/account/set-account-status';
import { asAdmin, closeTestDb, testDb } from '@/lib/testing/fixtures';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';
import { PATCH_SCHEMA } from './scimmy';

/**
 * SCIM meets a suspension for dormancy (lib/lifecycle/account/apply-directory-status.ts): the IdP's
 * routine `active: true` does not undo Roster's finding; only the IdP re-enabling the person (its
 * last word was false) or an admin's restore does, and either restarts the activity clock.
 */
const db = testDb();
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
let server: ScimTestServer;
beforeAll(async () => void (server = await startScimServer(db)));
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

const activePatch = (value: boolean) => ({ schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value }] });
const sweep = (organizationId: string, now = new Date()) =>
  runDormancySweep({ db, organizationId, now, dryRun: false, runId: randomUUID(), actor: { type: 'system', id: 'dormancy' }, confirmed: null });

async function dormancySuspended() {
  const tenant = await makeScimTenant(db);
  const call = (method: string, path: string, body?: unknown) => server.call(method, path, { token: tenant.token, body });
  await withPolicy(db, tenant.org.id);
  const userName = `idle-${randomUUID().slice(0, 6)}@example.com`;
  const id = String((await call('POST', '/Users', { schemas: [USER], userName, active: true })).body!.id);
  await db.execute(sql`update accounts set last_activity_at = now() - interval '100 days' where id = ${id}::uuid`);
  expect((await sweep(tenant.org.id)).counts).toMatchObject({ suspend: 1 });
  return { tenant, call, id, userName };
}

describe('SCIM and a suspension for dormancy', () => {
  it('a routine active=true (PUT or PATCH, the IdP already said true) leaves the account suspended and is audited', async () => {
    const { tenant, call, id, userName } = await dormancySuspended();
    expect(await call('PUT', `/Users/${id}`, { schemas: [USER], userName, active: true })).toMatchObject({ status: 200, body: { active: false } });
    expect(await call('PATCH', `/Users/${id}`, activePatch(true))).toMatchObject({ status: 200, body: { active: false } });
    expect((await accountState(db, id)).status).toBe('suspended');
    const deferred = await eventsOf(db, tenant.org.id, 'scim.activation_deferred');
    expect(deferred).toHaveLength(2);
    expect(deferred[0]).toMatchObject({ target_id: id, actor_type: 'scim', data: { reason: 'dormancy' } });
  });

  it('the IdP disabling and re-enabling the person lifts it and restarts the clock; the next sweep leaves it alone', async () => {
    const { tenant, call, id } = await dormancySuspended();
    expect(await call('PATCH', `/Users/${id}`, activePatch(false))).toMatchObject({ status: 200, body: { active: false } });
    const before = Date.now();
    expect(await call('PATCH', `/Users/${id}`, activePatch(true))).toMatchObject({ status: 200, body: { active: true } });
    const state = await accountState(db, id);
    expect(state).toMatchObject({ status: 'active', dormancy_suspended_at: null });
    expect(new Date(state.last_activity_at!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await sweep(tenant.org.id)).counts).toMatchObject({ suspend: 0, warn: 0 });
    expect(await eventsOf(db, tenant.org.id, 'scim.activation_deferred')).toHaveLength(0);
  });

  it('an admin restore lifts it; SCIM active=true afterwards changes nothing', async () => {
    const { tenant, call, id, userName } = await dormancySuspended();
    await asAdmin(db, (tx, ctx) => restoreAccount(tx, { organizationId: tenant.org.id, accountId: id }, ctx));
    expect(await accountState(db, id)).toMatchObject({ status: 'active', dormancy_suspended_at: null });
    expect(await call('PUT', `/Users/${id}`, { schemas: [USER], userName, active: true })).toMatchObject({ status: 200, body: { active: true } });
  });
});
