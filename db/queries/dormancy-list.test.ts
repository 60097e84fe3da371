import { afterAll, describe, expect, it } from 'vitest';
import { upsertRole } from '@/db/queries/roles';
import { ago, dormantAccount, withPolicy } from '@/lib/governance/dormancy/testing/fixtures';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { getSeatReport } from '@/lib/governance/seats';
import { countDormantAccounts, findDormantAccounts, type DormantGroup } from './dormancy-list';

const db = testDb();
afterAll(closeTestDb);

const NOW = new Date();
const MS = 1;

/** Policy: dormant after 60 days, suspend after 90 (warn 7 before), never signed in after 45, deprovision 30 days after suspension. */
async function tenant() {
  const { org } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'break-glass', name: 'Break glass' });
  const policy = await withPolicy(db, org.id, { warnBeforeDays: 7, exemptRoleKeys: ['break-glass'] });
  const make = (userName: string, times: Parameters<typeof dormantAccount>[2]) => dormantAccount(db, org.id, { userName: `${userName}-${org.id.slice(0, 6)}@x.test`, ...times });
  const a = {
    justActive: await make('just-active', { lastActivityAt: ago(60, -MS, NOW) }),
    atEdge: await make('at-edge', { lastActivityAt: ago(60, 0, NOW) }),
    older: await make('older', { lastActivityAt: ago(80, 0, NOW) }),
    neverYoung: await make('never-young', { lastActivityAt: null, createdAt: ago(45, -MS, NOW) }),
    neverOld: await make('never-old', { lastActivityAt: null, createdAt: ago(45, 0, NOW) }),
    warned: await make('warned', { lastActivityAt: ago(85, 0, NOW), warnedAt: ago(2, 0, NOW) }),
    warningVoid: await make('warning-void', { lastActivityAt: ago(1, 0, NOW), warnedAt: ago(2, 0, NOW) }),
    suspended: await make('suspended', { status: 'suspended', lastActivityAt: ago(120, 0, NOW), suspendedAt: ago(10, 0, NOW) }),
    suspendedElse: await make('suspended-else', { status: 'suspended', lastActivityAt: ago(120, 0, NOW) }),
    flagged: await make('flagged', { lastActivityAt: ago(100, 0, NOW), exempt: true }),
    byRole: await make('by-role', { lastActivityAt: ago(100, 0, NOW) }),
  };
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: a.byRole.id, roleKey: 'break-glass' }, ctx));
  return { org, policy, a };
}
const list = (t: Awaited<ReturnType<typeof tenant>>, group: DormantGroup, limit = 50, after: string | null = null) => findDormantAccounts(db, { organizationId: t.org.id, policy: t.policy, now: NOW, group, limit, after });

describe('the dormant list', () => {
  it('puts each account in its group at the edges, exempt ones marked, and counts every group', async () => {
    const t = await tenant();
    const other = await tenant(); // another organization's accounts never show
    const dormant = await list(t, 'dormant');
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    expect(ids(dormant.rows).sort()).toEqual([t.a.atEdge.id, t.a.older.id, t.a.neverOld.id, t.a.flagged.id, t.a.byRole.id].sort());
    expect(dormant.rows.filter((r) => r.exempt).map((r) => r.id).sort()).toEqual([t.a.flagged.id, t.a.byRole.id].sort());
    expect(ids((await list(t, 'warned')).rows)).toEqual([t.a.warned.id]);
    expect(ids((await list(t, 'suspended')).rows)).toEqual([t.a.suspended.id]);
    expect(dormant.counts).toEqual({ dormant: 5, warned: 1, suspended: 1 });
    for (const g of ['dormant', 'warned', 'suspended'] as const) expect(ids((await list(t, g)).rows).some((id) => Object.values(other.a).some((a) => a.id === id))).toBe(false);
  });

  it('pages by keyset in the group order (oldest first), with nothing skipped or repeated', async () => {
    const t = await tenant();
    const first = await list(t, 'dormant', 2);
    expect(first.rows).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await list(t, 'dormant', 2, first.nextCursor);
    const third = await list(t, 'dormant', 2, second.nextCursor);
    expect(third.nextCursor).toBeNull();
    const all = [...first.rows, ...second.rows, ...third.rows];
    expect(new Set(all.map((r) => r.id)).size).toBe(5);
    const times = all.map((r) => (r.lastActivityAt ?? r.createdAt).getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('says "dormant" of the same accounts everywhere: the overview card, the seat report, the Dormant and Warned lists', async () => {
    const t = await tenant();
    // at-edge, older, never-old (never signed in, past its own 45 days), warned, flagged and by-role
    // (exempt: dormant, only not acted on); not just-active, never-young, the void warning or the suspended.
    const count = await countDormantAccounts(db, t.org.id, t.policy, NOW);
    expect(count).toBe(6);
    const { counts } = await list(t, 'dormant');
    expect(counts.dormant + counts.warned).toBe(count);
    expect((await getSeatReport(db, t.org.id, NOW)).total.dormant).toBe(count);
  });
});
