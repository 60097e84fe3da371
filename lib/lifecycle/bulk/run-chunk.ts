import type { Database } from '@/db';
import { lockAccountsOfOrganization } from '@/db/queries/bulk-accounts';
import type { AuditInput } from '@/lib/audit/record-event';
import { isAppError, pgError, type AppError } from '@/lib/errors';
import { inTransaction, type CommandContext } from '../context';
import { applyToAccount, outcomeOfRefusal, refusalFor, type BulkJob } from './apply-to-account';
import type { AccountOutcome, BulkWho } from './types';

/**
 * One chunk of a bulk run as one unit of work: its accounts locked in one statement, then every
 * account's command started at once, so their statements are pipelined on the transaction's
 * connection (a chunk of 500 is a few round trips, not 500), and the audit events written in one
 * statement at the end. A dry run rolls the chunk back after the very same work.
 *
 * A command that refuses an account may have written before it threw, so a chunk in which any
 * command refused is rolled back and run again without those accounts (their outcome kept): what
 * commits is only the work of commands that succeeded. Any other error fails the chunk.
 */
const MAX_ATTEMPTS = 5;
const NOT_IN_ORGANIZATION = { outcome: 'not_in_organization', reason: 'No such account in this organization.' } as const;

/** Thrown out of the chunk's transaction to roll it back: to run it again, or at the end of a dry run. */
class Rollback extends Error {
  constructor(readonly outcomes: AccountOutcome[] | 'again') {
    super('bulk: chunk rolled back');
  }
}

export type ApplyToAccount = typeof applyToAccount;

/** `apply`: the account's command (tests pass one that writes and then refuses). */
export async function runChunk(db: Database, job: BulkJob & { runId: string; dryRun: boolean }, ids: string[], who: BulkWho, apply: ApplyToAccount = applyToAccount): Promise<AccountOutcome[]> {
  const settled = new Map<string, AccountOutcome>();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await inTransaction(db, who, async (tx, ctx) => {
        const command = taggedContext(ctx, job.runId);
        const open = ids.filter((id) => !settled.has(id));
        const accounts = new Map((await lockAccountsOfOrganization(tx, job.organizationId, open)).map((a) => [a.id, a]));
        const results = await Promise.allSettled(
          ids.map(async (accountId): Promise<AccountOutcome> => {
            const known = settled.get(accountId);
            if (known) return known;
            const account = accounts.get(accountId);
            if (!account) return { accountId, ...NOT_IN_ORGANIZATION };
            const refusal = refusalFor(job.action, account, ctx.actor);
            if (refusal) return { accountId, outcome: refusal.code, reason: refusal.reason };
            return { accountId, outcome: await apply(tx, job, account, command) };
          }),
        );
        const refusedByCommand = new Map<string, AppError>();
        results.forEach((r, i) => {
          if (r.status === 'rejected' && isAppError(r.reason)) refusedByCommand.set(ids[i]!, r.reason);
        });
        const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected' && !isAppError(r.reason));
        // 25P02: a statement after the failed one in the same transaction; the first failure is the news.
        if (failures.length > 0) throw (failures.find((f) => pgError(f.reason)?.code !== '25P02') ?? failures[0]!).reason;
        if (refusedByCommand.size > 0) {
          for (const [accountId, error] of refusedByCommand) settled.set(accountId, { accountId, ...outcomeOfRefusal(job.action, error) });
          throw new Rollback('again');
        }
        const outcomes = results.map((r) => (r as PromiseFulfilledResult<AccountOutcome>).value);
        if (job.dryRun) throw new Rollback(outcomes);
        return outcomes;
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
      if (error.outcomes !== 'again') return error.outcomes;
    }
  }
  throw new Error(`bulk: a chunk kept changing under the run (${MAX_ATTEMPTS} attempts)`);
}

/** The command context with the run id added to the data of every event the commands record. */
function taggedContext(ctx: CommandContext, runId: string): CommandContext {
  return { ...ctx, record: (event) => ctx.record(withRunId(event, runId)) };
}

function withRunId(event: AuditInput, runId: string): AuditInput {
  switch (event.action) {
    case 'account.suspended':
    case 'account.restored':
      return { ...event, data: event.data && { ...event.data, runId } };
    case 'role.granted':
    case 'role.revoked':
      return { ...event, data: event.data && { ...event.data, runId } };
    case 'role.expiry_changed':
      return { ...event, data: event.data && { ...event.data, runId } };
    default:
      return event;
  }
}
