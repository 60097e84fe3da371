import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { provisionFromLogin } from '@/lib/jit/provision-user';
import { checkSession } from '@/lib/lifecycle/session/check-session';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { readOrganizationSettings, sessionMaxAgeFor, updateOrganizationSettings, type SettingsChange } from './organization-settings';

const db = testDb();
afterAll(closeTestDb);
const DEPLOYMENT = 8 * 3600;

const update = (organizationId: string, changes: SettingsChange) => asAdmin(db, (tx, ctx) => updateOrganizationSettings(tx, { organizationId, changes, deploymentSessionMaxAge: DEPLOYMENT }, ctx));
const settingsEvents = async (orgId: string) => (await findAuditEvents(db, orgId)).filter((e) => e.action === 'organization.settings_changed');

describe('organization settings', () => {
  it('sets and removes settings, keeps unknown keys, audits before and after', async () => {
    const { org } = await makeOrganization(db);
    await db.execute(sql`update organizations set settings = '{"bulkActionLimit": 50, "seatPricePerMonth": 4}'::jsonb where id = ${org.id}::uuid`);
    const result = await update(org.id, { purgeDeprovisionedAfterDays: 30, sessionMaxAgeSeconds: 600, seatPricePerMonth: null });
    expect(result).toEqual({ settings: { purgeDeprovisionedAfterDays: 30, sessionMaxAgeSeconds: 600 }, changed: ['purgeDeprovisionedAfterDays', 'seatPricePerMonth', 'sessionMaxAgeSeconds'] });
    expect(await getOrganizationSettings(db, org.id)).toEqual({ bulkActionLimit: 50, purgeDeprovisionedAfterDays: 30, sessionMaxAgeSeconds: 600 });
    const [event] = await settingsEvents(org.id);
    expect(event).toMatchObject({
      before: { purgeDeprovisionedAfterDays: null, seatPricePerMonth: 4, sessionMaxAgeSeconds: null },
      after: { purgeDeprovisionedAfterDays: 30, seatPricePerMonth: null, sessionMaxAgeSeconds: 600 },
      data: { changed: ['purgeDeprovisionedAfterDays', 'seatPricePerMonth', 'sessionMaxAgeSeconds'] },
    });
    // The same values again: nothing written, nothing audited.
    expect((await update(org.id, { purgeDeprovisionedAfterDays: 30 })).changed).toEqual([]);
    expect(await settingsEvents(org.id)).toHaveLength(1);
  });

  it.each([
    [{ purgeDeprovisionedAfterDays: 0 }, /at least 1 day/],
    [{ purgeDeprovisionedAfterDays: 2.5 }, /whole number of days/],
    [{ seatPricePerMonth: -1 }, /at least 0/],
    [{ sessionMaxAgeSeconds: 60 }, /at least 5 minutes/],
    [{ sessionMaxAgeSeconds: DEPLOYMENT + 1 }, /at most the deployment's 28800 seconds/],
  ])('refuses %o with a clear message and changes nothing', async (changes, message) => {
    const { org } = await makeOrganization(db);
    await update(org.id, { purgeDeprovisionedAfterDays: 90 });
    await expect(update(org.id, { seatPricePerMonth: 3, ...changes })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
    expect(await readOrganizationSettings(db, org.id)).toEqual({ purgeDeprovisionedAfterDays: 90 });
    expect(await settingsEvents(org.id)).toHaveLength(1);
  });

  it('changes only its own organization', async () => {
    const a = await makeOrganization(db);
    const b = await makeOrganization(db);
    await update(a.org.id, { purgeDeprovisionedAfterDays: 7 });
    expect(await readOrganizationSettings(db, a.org.id)).toEqual({ purgeDeprovisionedAfterDays: 7 });
    expect(await readOrganizationSettings(db, b.org.id)).toEqual({});
    expect(await settingsEvents(b.org.id)).toHaveLength(0);
    await expect(update('00000000-0000-4000-8000-000000000000', { purgeDeprovisionedAfterDays: 7 })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('the organization session lifetime', () => {
  it('is the shorter of the organization’s and the deployment’s', () => {
    expect(sessionMaxAgeFor({}, 3600)).toBe(3600);
    expect(sessionMaxAgeFor({ sessionMaxAgeSeconds: 600 }, 3600)).toBe(600);
    expect(sessionMaxAgeFor({ sessionMaxAgeSeconds: 7200 }, 3600)).toBe(3600);
    expect(sessionMaxAgeFor({ sessionMaxAgeSeconds: 'x' }, 3600)).toBe(3600);
  });

  it('a sign-in of an organization at 10 minutes opens a 10-minute session; a session older than that is refused', async () => {
    const { org, connection } = await makeOrganization(db);
    const other = await makeOrganization(db);
    await update(org.id, { sessionMaxAgeSeconds: 600 });
    const now = new Date();
    const signIn = (connectionId: string, subject: string) =>
      provisionFromLogin(db, { connectionId, subject, claims: { sub: subject, email: `${subject}@example.com`, email_verified: true } }, { sessionMaxAgeSeconds: 3600, now });
    const login = await signIn(connection.id, 'sub-ten');
    if (!login.ok) throw new Error(login.message);
    expect(login.sessionExpiresAt.getTime()).toBe(now.getTime() + 600_000);
    expect(await checkSession(db, login.sessionId)).not.toBeNull();
    // Another organization keeps the deployment's lifetime.
    const theirs = await signIn(other.connection.id, 'sub-other');
    if (!theirs.ok) throw new Error(theirs.message);
    expect(theirs.sessionExpiresAt.getTime()).toBe(now.getTime() + 3600_000);

    // A session opened an hour ago (before the lifetime was shortened, say) is refused at its next request.
    await db.execute(sql`update sessions set created_at = now() - interval '11 minutes', expires_at = now() + interval '1 hour' where id in (${login.sessionId}::uuid, ${theirs.sessionId}::uuid)`);
    expect(await checkSession(db, login.sessionId)).toBeNull();
    expect(await checkSession(db, theirs.sessionId)).not.toBeNull();
  });
});
