import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { AppError } from '@/lib/errors';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { setAccountStatus } from '../account/set-account-status';
import { applyToAccount, type BulkJob } from './apply-to-account';
import { runBulkAction } from './run-bulk-action';
import { runChunk, type ApplyToAccount } from './run-chunk';
import { eventsOf, makeBulkCast } from './testing/fixtures';

const db = testDb();
afterAll(closeTestDb);

describe('a chunk of a bulk run', () => {
  it('commits nothing of a command that wrote and then refused, and still changes the other accounts', async () => {
    const cast = await makeBulkCast(db);
    const { active, manual, rule } = cast.accounts;
    // A command that suspends, then refuses `manual` after its write (the rollback must undo it).
    const writesThenRefuses: ApplyToAccount = async (tx, job, account, ctx) => {
      if (account.id !== manual.id) return applyToAccount(tx, job, account, ctx);
      await setAccountStatus(tx, { organizationId: job.organizationId, accountId: account.id, status: 'suspended', locked: account }, ctx);
      throw new AppError('conflict', 'refused after writing');
    };
    const job: BulkJob & { runId: string; dryRun: boolean } = { organizationId: cast.org.id, action: 'suspend', roleKey: null, expiresAt: null, reason: null, runId: 'run-1', dryRun: false };
    const outcomes = await runChunk(db, job, [active.id, manual.id, rule.id], { actor: cast.actor, now: new Date() }, writesThenRefuses);

    expect(outcomes).toEqual([
      { accountId: active.id, outcome: 'suspended' },
      { accountId: manual.id, outcome: 'refused', reason: 'refused after writing' },
      { accountId: rule.id, outcome: 'suspended' },
    ]);
    expect(await getAccountById(db, cast.org.id, manual.id)).toMatchObject({ status: 'active' });
    expect(await getAccountById(db, cast.org.id, active.id)).toMatchObject({ status: 'suspended' });
    const events = (await eventsOf(db, cast.org.id, 'account.suspended')).filter((e) => e.data?.runId === 'run-1');
    expect(events.map((e) => e.targetId).sort()).toEqual([active.id, rule.id].sort());
  });

  it('fails as a whole, committing nothing, when a statement fails', async () => {
    const cast = await makeBulkCast(db);
    const { active, manual } = cast.accounts;
    const breaks: ApplyToAccount = async (tx, job, account, ctx) => {
      if (account.id === manual.id) await tx.execute('select 1/0');
      return applyToAccount(tx, job, account, ctx);
    };
    const job: BulkJob & { runId: string; dryRun: boolean } = { organizationId: cast.org.id, action: 'suspend', roleKey: null, expiresAt: null, reason: null, runId: 'run-2', dryRun: false };
    await expect(runChunk(db, job, [active.id, manual.id], { actor: cast.actor, now: new Date() }, breaks)).rejects.toMatchObject({ cause: { code: '22012' } }); // division_by_zero, not 25P02
    expect(await getAccountById(db, cast.org.id, active.id)).toMatchObject({ status: 'active' });
  });

  it('records a failed run as finished with what it did and the error, keeping the chunks already committed', async () => {
    const cast = await makeBulkCast(db);
    const { active, manual } = cast.accounts;
    const breaks: ApplyToAccount = async (tx, job, account, ctx) => {
      if (account.id === manual.id) await tx.execute('select 1/0');
      return applyToAccount(tx, job, account, ctx);
    };
    const input = { organizationId: cast.org.id, action: 'suspend' as const, accountIds: [active.id, manual.id], dryRun: false };
    await expect(runBulkAction(db, input, { actor: cast.actor, now: new Date() }, { chunkSize: 1, apply: breaks })).rejects.toMatchObject({ cause: { code: '22012' } });
    expect(await getAccountById(db, cast.org.id, active.id)).toMatchObject({ status: 'suspended' });
    const [finished] = await eventsOf(db, cast.org.id, 'bulk.finished');
    expect(finished?.data).toMatchObject({ changed: 1, unchanged: 0, refused: 0, failed: expect.stringContaining('select 1/0') });
  });
});
