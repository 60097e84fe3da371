import { afterAll, describe, expect, it } from 'vitest';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { invalidAccountListParams, parseAccountListParams } from './account-list-params';
import { invalidAuditListParams, parseAuditListParams } from './audit-list-params';
import { loadAccountsPage } from './page-data';

const db = testDb();
afterAll(closeTestDb);

/** A URL value holding U+0000 (`?q=%00`) reached a statement and failed the page. */
describe('list URLs with text PostgreSQL cannot store', () => {
  it('the accounts page drops such a value and lists as if it were not there', async () => {
    const { org } = await makeOrganization(db);
    await makeAccount(db, org.id);
    const params = parseAccountListParams({ q: 'a\u0000b', role: 'x\u0000' });
    expect(params.filter).toMatchObject({ q: undefined, roleKey: undefined });
    const { total } = await loadAccountsPage(db, org.id, params);
    expect(await total).toBe(1);
  });

  it('the audit page drops it too; the exports refuse it', () => {
    expect(parseAuditListParams({ q: 'a\u0000b', actorId: 'x\u0000' }).query).toEqual({});
    expect(invalidAccountListParams(new URLSearchParams('q=a%00b'))).toEqual(['q=a\u0000b']);
    expect(invalidAuditListParams(new URLSearchParams('q=a%00b'))).toEqual(['q=a\u0000b']);
  });
});
