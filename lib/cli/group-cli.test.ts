import { execFile } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { updateAccount } from '@/db/queries/accounts';
import { findAttributeRules } from '@/db/queries/attribute-rules';
import { insertGroup, insertGroupMembers } from '@/db/queries/groups';
import { hasRole, upsertRole } from '@/db/queries/roles';
import { organizations } from '@/db/schema';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';

const launcher = path.join(import.meta.dirname, 'roster.mjs');
const db = testDb();
afterAll(closeTestDb);

type Run = { code: number; stdout: string; stderr: string };
function roster(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { env: { ...process.env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('roster group map (the real CLI)', { timeout: 120_000 }, () => {
  it('dry-runs and maps a SCIM group by name, clears it with none, maps a sign-in group through its rule; ambiguity and the limit are clear errors', async () => {
    const { org } = await makeOrganization(db);
    await upsertRole(db, { organizationId: org.id, key: 'engineer', name: 'Engineer' });
    const ann = await makeAccount(db, org.id, { userName: 'ann@example.com' });
    const ben = await makeAccount(db, org.id, { userName: 'ben@example.com' });
    await updateAccount(db, org.id, ben.id, { loginGroups: ['Platform', 'eng'] });
    const group = await insertGroup(db, { organizationId: org.id, displayName: 'Platform' });
    await insertGroupMembers(db, org.id, group.id, [ann.id]);
    const base = ['group', 'map', '--org', org.slug];

    const ambiguous = await roster([...base, '--group', 'Platform', '--role', 'engineer']);
    expect(ambiguous).toMatchObject({ code: 1, stderr: expect.stringContaining(`is both a SCIM group (id ${group.id}) and a group sent at sign-in`) });
    const dry = await roster([...base, '--group', 'Platform', '--kind', 'scim', '--role', 'engineer', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run: nothing changed. Mapping the SCIM group "Platform" to engineer would:/);
    expect(dry.stdout).toMatch(/Would gain:\nUSER NAME\s+ROLE\s+ALSO HELD\nann@example\.com\s+engineer\s+no/);
    expect(await hasRole(db, org.id, ann.id, 'engineer')).toBe(false);

    const mapped = await roster([...base, '--group', group.id, '--role', 'engineer', '--json']);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(JSON.parse(mapped.stdout)).toMatchObject({ dryRun: false, changed: true, granted: 1, group: { kind: 'scim', id: group.id }, after: { roleKey: 'engineer' }, runId: expect.any(String) });
    expect(await hasRole(db, org.id, ann.id, 'engineer')).toBe(true);
    const cleared = await roster([...base, '--group', group.id, '--role', 'none']);
    expect(cleared.stdout).toMatch(/^Mapped the SCIM group "Platform" to none:/);
    expect(await hasRole(db, org.id, ann.id, 'engineer')).toBe(false);

    const signIn = await roster([...base, '--group', 'eng', '--role', 'engineer', '--json']);
    expect(JSON.parse(signIn.stdout)).toMatchObject({ group: { kind: 'sign-in', name: 'eng' }, rule: { name: 'Sign-in group: eng', change: 'create' }, granted: 1 });
    expect((await findAttributeRules(db, org.id)).map((r) => r.name)).toEqual(['Sign-in group: eng']);
    expect(await hasRole(db, org.id, ben.id, 'engineer')).toBe(true);

    await db.update(organizations).set({ settings: { bulkActionLimit: 0 } }).where(eq(organizations.id, org.id));
    const refused = await roster([...base, '--group', 'Platform', '--kind', 'scim', '--role', 'engineer']);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('type 1 to confirm') });
    expect(await roster([...base, '--group', 'Platform', '--kind', 'scim', '--role', 'engineer', '--confirm', '1'])).toMatchObject({ code: 0 });
    expect(await hasRole(db, org.id, ann.id, 'engineer')).toBe(true);

    expect(await roster([...base, '--group', 'nobody', '--role', 'engineer'])).toMatchObject({ code: 1, stderr: expect.stringContaining('No SCIM group or sign-in group "nobody"') });
    expect(await roster([...base, '--group', 'eng', '--role', 'ghost'])).toMatchObject({ code: 1, stderr: expect.stringContaining('No role "ghost"') });
    expect(await roster([...base, '--group', 'eng', '--kind', 'ldap', '--role', 'engineer'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--kind must be one of: scim, sign-in') });
  });
});
