import { afterAll, describe, expect, it } from 'vitest';
import { updateAccount } from '@/db/queries/accounts';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { inGroup, seedConsoleOrganization } from './testing/console-fixtures';
import { loadGroupsPage, loadScimGroupPage, loadSignInGroupPage } from './groups-page';

const db = testDb();
afterAll(closeTestDb);

describe('the groups pages', () => {
  it('lists SCIM groups with members and sign-in groups with the accounts carrying them; members by group; nothing of another organization', async () => {
    const t = await seedConsoleOrganization(db);
    const carriers = t.accounts.filter((a) => a.n < 6 && a.status !== 'deprovisioned');
    for (const a of t.accounts.filter((x) => x.n < 6)) await updateAccount(db, t.org.id, a.id, { loginGroups: ['eng-login', ...(a.n === 1 ? ['ops'] : [])] });
    const other = t.other.accountIds[0]!;
    await updateAccount(db, t.other.org.id, other, { loginGroups: ['eng-login', 'theirs'] });

    const page = await loadGroupsPage(db, t.org.id);
    expect(page.scim).toEqual([expect.objectContaining({ id: t.groupId, name: 'Engineers', members: t.accounts.filter((a) => inGroup(a.n)).length, roleKey: null })]);
    expect(page.signIn.map((g) => [g.name, g.members])).toEqual([['eng-login', carriers.length], ['ops', carriers.some((a) => a.n === 1) ? 1 : 0]].filter(([, m]) => m !== 0));

    const group = await loadScimGroupPage(db, t.org.id, t.groupId, 0);
    expect(group.total).toBe(t.accounts.filter((a) => inGroup(a.n)).length);
    expect(group.rows.map((r) => r.accountId).sort()).toEqual(t.accounts.filter((a) => inGroup(a.n)).map((a) => a.id).sort());
    const signIn = await loadSignInGroupPage(db, t.org.id, 'eng-login', 0);
    expect(signIn.rows.map((r) => r.accountId).sort()).toEqual(carriers.map((a) => a.id).sort());
    expect(signIn.rows.map((r) => r.accountId)).not.toContain(other);

    await expect(loadScimGroupPage(db, t.other.org.id, t.groupId, 0)).rejects.toMatchObject({ code: 'not_found' });
    await expect(loadSignInGroupPage(db, t.org.id, 'theirs', 0)).rejects.toMatchObject({ code: 'not_found' });
  });
});
