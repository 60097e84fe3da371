import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insertScimRequests } from '@/db/queries/scim-requests';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';

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

describe('roster scim requests (the real CLI)', { timeout: 120_000 }, () => {
  it('lists refusals first, then the rest, newest first; --refused, --limit; another organization’s never', async () => {
    const { org } = await makeOrganization(db);
    const { org: other } = await makeOrganization(db);
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
    await insertScimRequests(db, [
      { organizationId: org.id, method: 'GET', path: '/Users', status: 200, durationMs: 2, at: at(0) },
      { organizationId: org.id, method: 'GET', path: '/Users?filter=bad', status: 400, scimType: 'invalidFilter', detail: 'bad filter', durationMs: 1, at: at(1) },
      { organizationId: org.id, method: 'POST', path: '/Users', status: 201, durationMs: 5, at: at(2) },
      { organizationId: other.id, method: 'GET', path: '/theirs', status: 404, durationMs: 1, at: at(3) },
    ]);
    const json = async (args: string[]) => {
      const run = await roster(['scim', 'requests', '--org', org.slug, ...args, '--json']);
      expect(run, run.stderr).toMatchObject({ code: 0 });
      return JSON.parse(run.stdout) as { path: string; status: number; scimType: string | null; refused: boolean }[];
    };
    expect((await json([])).map((r) => [r.status, r.path])).toEqual([[400, '/Users?filter=bad'], [201, '/Users'], [200, '/Users']]);
    expect(await json(['--refused'])).toEqual([expect.objectContaining({ status: 400, scimType: 'invalidFilter', detail: 'bad filter', refused: true })]);
    expect((await json(['--limit', '2'])).map((r) => r.status)).toEqual([400, 201]);
    const text = await roster(['scim', 'requests', '--org', org.slug]);
    expect(text.stdout).toContain('invalidFilter: bad filter');
    expect((await roster(['scim', 'requests', '--org', org.slug, '--limit', '0'])).code).toBe(2);
  });
});
