import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { organizations } from '@/db/schema';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { BULK_HARD_CAP, bulkActionLimit, DEFAULT_BULK_ACTION_LIMIT } from './limits';
import { runBulkAction } from './run-bulk-action';
import { eventsOf, makeBulkCast, snapshot } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

describe('the limit on mass changes', () => {
  it.each([
    ['absent', {}, DEFAULT_BULK_ACTION_LIMIT],
    ['a whole number', { bulkActionLimit: 250 }, 250],
    ['zero (every run needs confirming)', { bulkActionLimit: 0 }, 0],
    ['above the hard cap', { bulkActionLimit: 50_000 }, BULK_HARD_CAP],
    ['negative', { bulkActionLimit: -1 }, DEFAULT_BULK_ACTION_LIMIT],
    ['a fraction', { bulkActionLimit: 2.5 }, DEFAULT_BULK_ACTION_LIMIT],
    ['a string', { bulkActionLimit: '50' }, DEFAULT_BULK_ACTION_LIMIT],
  ])('reads the organization setting when %s', (_name, settings, expected) => {
    expect(bulkActionLimit(settings)).toBe(expected);
  });

  it('refuses a real run past the organization’s limit unless the admin typed the exact count; a dry run says so', async () => {
    const cast = await makeBulkCast(db);
    await db.update(organizations).set({ settings: { bulkActionLimit: 3 } }).where(eq(organizations.id, cast.org.id));
    const { active, manual, rule, both } = cast.accounts;
    const input = { organizationId: cast.org.id, action: 'suspend' as const, accountIds: [active.id, manual.id, rule.id, both.id] };
    const who = { actor: cast.actor, now: new Date() };
    const before = await snapshot(db, [cast.org.id]);

    const preview = await runBulkAction(db, { ...input, dryRun: true }, who);
    expect(preview).toMatchObject({ requested: 4, changed: 4, limit: 3, needsConfirmation: true });
    await expect(runBulkAction(db, { ...input, dryRun: false }, who)).rejects.toMatchObject({
      code: 'precondition_failed',
      message: "This bulk action names 4 accounts, more than this organization's limit of 3 for one run: type 4 to confirm.",
    });
    await expect(runBulkAction(db, { ...input, dryRun: false, confirmOver: 3 }, who)).rejects.toMatchObject({ code: 'precondition_failed', message: expect.stringContaining('(3 was typed)') });
    expect(await snapshot(db, [cast.org.id])).toEqual(before);

    const confirmed = await runBulkAction(db, { ...input, dryRun: false, confirmOver: 4 }, who);
    expect(confirmed).toMatchObject({ changed: 4, needsConfirmation: true });
    const [started] = await eventsOf(db, cast.org.id, 'bulk.started');
    expect(started?.data).toMatchObject({ limit: 3, confirmedOver: 4 });
  });

  it('runs within the limit without a confirmation', async () => {
    const cast = await makeBulkCast(db);
    await db.update(organizations).set({ settings: { bulkActionLimit: 2 } }).where(eq(organizations.id, cast.org.id));
    const report = await runBulkAction(db, { organizationId: cast.org.id, action: 'suspend', accountIds: [cast.accounts.active.id, cast.accounts.manual.id], dryRun: false }, { actor: cast.actor, now: new Date() });
    expect(report).toMatchObject({ changed: 2, limit: 2, needsConfirmation: false });
  });

  it('always refuses a run past the hard cap, confirmed or dry, before touching anything', async () => {
    const cast = await makeBulkCast(db);
    await db.update(organizations).set({ settings: { bulkActionLimit: BULK_HARD_CAP } }).where(eq(organizations.id, cast.org.id));
    const accountIds = [cast.accounts.active.id, ...Array.from({ length: BULK_HARD_CAP }, () => randomUUID())];
    const before = await snapshot(db, [cast.org.id]);
    const message = 'A bulk action changes at most 10,000 accounts per run; this one names 10,001. Narrow the filter, or run it in parts.';
    for (const extra of [{ dryRun: false, confirmOver: BULK_HARD_CAP + 1 }, { dryRun: true }]) {
      await expect(runBulkAction(db, { organizationId: cast.org.id, action: 'suspend', accountIds, ...extra }, { actor: cast.actor, now: new Date() })).rejects.toMatchObject({ code: 'invalid_input', message });
    }
    expect(await snapshot(db, [cast.org.id])).toEqual(before);
    // Exactly the cap is accepted (every id but one names no account here).
    const atCap = await runBulkAction(db, { organizationId: cast.org.id, action: 'suspend', accountIds: accountIds.slice(0, BULK_HARD_CAP), dryRun: true }, { actor: cast.actor, now: new Date() });
    expect(atCap).toMatchObject({ requested: BULK_HARD_CAP, changed: 1, byOutcome: { suspended: 1, not_in_organization: BULK_HARD_CAP - 1 } });
  });
});
