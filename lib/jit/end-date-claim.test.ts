import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { auditEvents } from '@/db/schema';
import { setAccountEndDate } from '@/lib/lifecycle/account/set-end-date';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { mapClaims, readEndDate } from './map-claims';
import { provisionFromLogin } from './provision-user';

const db = testDb();
afterAll(closeTestDb);

describe('readEndDate', () => {
  it.each([
    ['2027-03-31', '2027-03-31T00:00:00.000Z'],
    ['2027-03-31T17:00:00Z', '2027-03-31T17:00:00.000Z'],
    [1806451200, '2027-03-31T00:00:00.000Z'],
    [['2027-03-31'], '2027-03-31T00:00:00.000Z'],
  ])('reads %j', (value, iso) => expect(readEndDate(value)).toEqual({ endsAt: new Date(iso) }));

  it.each(['soon', '31/03/2027', '2027-02-30', '2027-03-31T17:00:00', 1.5, true, { at: 1 }, ''])('refuses %j, saying why', (value) => {
    expect(readEndDate(value)).toEqual({ refused: { value: expect.any(String), reason: expect.stringContaining('ISO 8601') } });
  });

  it('is mapped only when a connection maps it (no default claim)', () => {
    expect(mapClaims({ endsAt: '2027-03-31' }).endsAt).toBeUndefined();
    expect(mapClaims({ contract_end: '2027-03-31' }, { endsAt: 'contract_end' }).endsAt).toEqual(new Date('2027-03-31T00:00:00Z'));
  });
});

describe('an end date from a sign-in claim', () => {
  const login = (connectionId: string, subject: string, claims: Record<string, unknown>) =>
    provisionFromLogin(db, { connectionId, subject, claims: { email: `${subject}@example.com`, email_verified: true, ...claims } }, { sessionMaxAgeSeconds: 600 });

  it('sets the account’s end date, owned by the sign-in, and a later claim moves it', async () => {
    const { connection, org } = await makeOrganization(db, { claimMapping: { endsAt: 'contract_end' } });
    const subject = `c-${randomUUID().slice(0, 8)}`;
    const first = await login(connection.id, subject, { contract_end: '2099-03-31' });
    expect(first).toMatchObject({ ok: true, created: true });
    const accountId = first.ok ? first.accountId : '';
    expect(await getAccountById(db, org.id, accountId)).toMatchObject({ endsAt: new Date('2099-03-31T00:00:00Z'), fieldOwners: expect.objectContaining({ endsAt: 'jit' }) });
    const again = await login(connection.id, subject, { contract_end: '2099-06-30T12:00:00Z' });
    expect(again).toMatchObject({ ok: true, changed: expect.arrayContaining(['endsAt']) });
    expect(await getAccountById(db, org.id, accountId)).toMatchObject({ endsAt: new Date('2099-06-30T12:00:00Z') });
    // A sign-in without the claim says nothing: the end date stays.
    await login(connection.id, subject, {});
    expect(await getAccountById(db, org.id, accountId)).toMatchObject({ endsAt: new Date('2099-06-30T12:00:00Z') });
  });

  it('does not overwrite an end date an administrator set', async () => {
    const { connection, org } = await makeOrganization(db, { claimMapping: { endsAt: 'contract_end' } });
    const subject = `c-${randomUUID().slice(0, 8)}`;
    const first = await login(connection.id, subject, {});
    const accountId = first.ok ? first.accountId : '';
    await asAdmin(db, (tx, ctx) => setAccountEndDate(tx, { organizationId: org.id, accountId, endsAt: new Date('2099-01-01T00:00:00Z') }, ctx));
    await login(connection.id, subject, { contract_end: '2099-12-31' });
    expect(await getAccountById(db, org.id, accountId)).toMatchObject({ endsAt: new Date('2099-01-01T00:00:00Z'), fieldOwners: expect.objectContaining({ endsAt: 'admin' }) });
  });

  it('ignores an unparseable claim: the sign-in goes on, and the audit trail says why', async () => {
    const { connection, org } = await makeOrganization(db, { claimMapping: { endsAt: 'contract_end' } });
    const subject = `c-${randomUUID().slice(0, 8)}`;
    const result = await login(connection.id, subject, { contract_end: 'end of March' });
    expect(result).toMatchObject({ ok: true });
    const accountId = result.ok ? result.accountId : '';
    expect(await getAccountById(db, org.id, accountId)).toMatchObject({ endsAt: null });
    const ignored = await db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, 'account.end_date_ignored')));
    expect(ignored).toEqual([expect.objectContaining({ targetId: accountId, data: { via: 'jit', value: 'end of March', reason: expect.stringContaining('ISO 8601') } })]);
  });
});
