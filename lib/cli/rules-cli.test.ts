import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { updateAccount } from '@/db/queries/accounts';
import { insertGroup, insertGroupMembers } from '@/db/queries/groups';
import { upsertRole } from '@/db/queries/roles';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';

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
async function json<T>(args: string[]): Promise<T> {
  const run = await roster([...args, '--json']);
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout) as T;
}

describe('roster rule, role and group (the real CLI)', { timeout: 120_000 }, () => {
  it('dry-runs, creates, lists, disables and deletes a rule; role list and holders say who holds it and how', async () => {
    const { org } = await makeOrganization(db);
    await upsertRole(db, { organizationId: org.id, key: 'engineer', name: 'Engineer' });
    const ann = await makeAccount(db, org.id, { userName: 'ann@example.com', profile: { department: 'Engineering' } });
    const ben = await makeAccount(db, org.id, { userName: 'ben@example.com', profile: { department: 'Sales' } });
    await updateAccount(db, org.id, ben.id, { loginGroups: ['eng-guests'] });
    const group = await insertGroup(db, { organizationId: org.id, displayName: 'Platform' });
    await insertGroupMembers(db, org.id, group.id, [ann.id]);
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: ann.id, roleKey: 'engineer', expiresAt: new Date(Date.now() + 86_400_000) }, ctx));

    const create = ['rule', 'create', '--org', org.slug, '--name', 'Engineers', '--role', 'engineer', '--condition', 'department equals engineering', '--condition', 'groups in eng-guests', '--match', 'any'];
    const dry = await roster([...create, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run: nothing changed/);
    expect(dry.stdout).toMatch(/Would gain:\nUSER NAME\s+ROLE\s+ALSO HELD\nann@example\.com\s+engineer\s+yes\nben@example\.com\s+engineer\s+no/);
    expect(await json<unknown[]>(['rule', 'list', '--org', org.slug])).toEqual([]);

    const created = await json<{ dryRun: boolean; granted: number; counts: { gain: number; gainRole: number }; rule: { id: string } }>(create);
    expect(created).toMatchObject({ dryRun: false, granted: 2, counts: { gain: 2, gainRole: 1 } });
    const rules = await json<{ name: string; conditions: { match: string } }[]>(['rule', 'list', '--org', org.slug]);
    expect(rules).toEqual([expect.objectContaining({ name: 'Engineers', roleKey: 'engineer', enabled: true, conditions: expect.objectContaining({ match: 'any' }) })]);
    expect((await roster(['rule', 'list', '--org', org.slug])).stdout).toContain('department equals engineering OR groups in eng-guests');

    const roles = await json<{ key: string; holders: number; bySource: Record<string, number>; rules: string[] }[]>(['role', 'list', '--org', org.slug]);
    expect(roles).toEqual([expect.objectContaining({ key: 'engineer', holders: 2, bySource: { birthright: 2, group: 0, manual: 1 }, rules: ['Engineers'] })]);
    const holders = await json<{ total: number; accounts: number; holders: { userName: string; via: string; viaName: string | null; expiresAt: string | null }[] }>(['role', 'holders', '--org', org.slug, '--role', 'engineer']);
    expect(holders).toMatchObject({ total: 3, accounts: 2 });
    expect(holders.holders.map((h) => [h.userName, h.via, h.viaName, h.expiresAt === null])).toEqual([
      ['ann@example.com', 'rule', 'Engineers', true],
      ['ann@example.com', 'manual', null, false],
      ['ben@example.com', 'rule', 'Engineers', true],
    ]);
    const groups = await json<{ source: string; name: string; members: number }[]>(['group', 'list', '--org', org.slug]);
    expect(groups).toEqual([expect.objectContaining({ source: 'scim', name: 'Platform', members: 1 }), expect.objectContaining({ source: 'sign-in', name: 'eng-guests', members: 1 })]);

    const disabled = await json<{ revoked: number; lose: { userName: string; heldOtherwise: boolean }[] }>(['rule', 'update', '--org', org.slug, '--rule', 'engineers', '--disable']);
    expect(disabled.revoked).toBe(2);
    expect(disabled.lose.map((l) => [l.userName, l.heldOtherwise])).toEqual([['ann@example.com', true], ['ben@example.com', false]]);
    const deleted = await roster(['rule', 'delete', '--org', org.slug, '--rule', created.rule.id]);
    expect(deleted).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Deleted rule "Engineers"/) });
  });

  it('bad input is a usage error (2), a refusal exits 1; neither prints a stack', async () => {
    const { org } = await makeOrganization(db);
    const badOperator = await roster(['rule', 'create', '--org', org.slug, '--name', 'x', '--role', 'r', '--condition', 'department is x']);
    expect(badOperator).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown operator is/) });
    const noCondition = await roster(['rule', 'create', '--org', org.slug, '--name', 'x', '--role', 'r']);
    expect(noCondition).toMatchObject({ code: 2, stderr: expect.stringMatching(/--condition is required/) });
    const noRole = await roster(['rule', 'create', '--org', org.slug, '--name', 'x', '--role', 'r', '--condition', 'title present']);
    expect(noRole).toMatchObject({ code: 1, stderr: expect.stringMatching(/No role "r"/) });
    const noRule = await roster(['rule', 'delete', '--org', org.slug, '--rule', 'missing']);
    expect(noRule).toMatchObject({ code: 1, stderr: expect.stringMatching(/No rule "missing"/) });
    for (const run of [badOperator, noCondition, noRole, noRule]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
