import { randomUUID } from 'node:crypto';
import type { Database } from '@/db';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { getRoleByKey } from '@/db/queries/roles';
import { bulkActions } from '@/lib/audit/events';
import { AppError } from '@/lib/errors';
import { inTransaction } from '../context';
import type { BulkJob } from './apply-to-account';
import { BULK_CHUNK_SIZE, bulkActionLimit, checkVolume } from './limits';
import { runChunk, type ApplyToAccount } from './run-chunk';
import { isChanged, isUnchanged, type AccountOutcome, type BulkInput, type BulkReport, type BulkWho } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A bulk action of the admin console — suspend, restore, grant a role (optionally until a date),
 * revoke a role — over accounts of one organization given by id. Each account's change goes
 * through its lifecycle command (setAccountStatus; grantRole and revokeRole through the access
 * gate), audited as usual with the run's id in the event's data, in chunks of BULK_CHUNK_SIZE
 * accounts per transaction (run-chunk.ts); `bulk.started` and `bulk.finished` frame the run in the
 * audit trail. Ids of another organization's accounts (or of none) are refused and never touched.
 * Idempotent: run again, it reports every account it changed as unchanged.
 *
 * A dry run takes the same path and rolls back every chunk, so its report is what a real run on
 * the same data does; it writes nothing, `bulk.*` events included. Limits: limits.ts.
 *
 * Not for inside a unit of work: it opens its own transactions (pass the pool, not a transaction).
 * `options` are for tests: a smaller chunk, another per-account command.
 */
export type BulkOptions = { chunkSize?: number; apply?: ApplyToAccount };

export async function runBulkAction(db: Database, input: BulkInput, who: BulkWho, options: BulkOptions = {}): Promise<BulkReport> {
  const job = validate(input, who.now);
  const ids = [...new Set(input.accountIds.map((id) => id.trim().toLowerCase()))];
  if (ids.length === 0) throw new AppError('invalid_input', 'Choose at least one account.');
  const settings = UUID.test(input.organizationId) ? await getOrganizationSettings(db, input.organizationId) : null;
  if (!settings) throw new AppError('not_found', 'No such organization.');
  const limit = bulkActionLimit(settings);
  const { needsConfirmation } = checkVolume({ requested: ids.length, limit, dryRun: input.dryRun, confirmOver: input.confirmOver });
  if (job.roleKey !== null && !(await getRoleByKey(db, job.organizationId, job.roleKey))) throw new AppError('not_found', `No role "${job.roleKey}" in this organization.`);

  const runId = randomUUID();
  const run = { runId, action: job.action, dryRun: input.dryRun, requested: ids.length, roleKey: job.roleKey, expiresAt: job.expiresAt?.toISOString() ?? null, reason: job.reason };
  const record = async (event: 'started' | 'finished', outcomes: AccountOutcome[], failed: string | null = null) => {
    if (input.dryRun) return;
    await inTransaction(db, who, async (_tx, ctx) => {
      const target = { type: 'bulk_run', id: runId };
      if (event === 'started') ctx.record({ organizationId: job.organizationId, actor: ctx.actor, action: 'bulk.started', target, data: { ...run, limit, confirmedOver: needsConfirmation ? (input.confirmOver ?? null) : null } });
      else ctx.record({ organizationId: job.organizationId, actor: ctx.actor, action: 'bulk.finished', target, data: { ...run, ...counts(outcomes), failed } });
    });
  };

  await record('started', []);
  const malformed = ids.filter((id) => !UUID.test(id));
  const outcomes: AccountOutcome[] = malformed.map((accountId) => ({ accountId, outcome: 'not_in_organization', reason: 'No such account in this organization.' }));
  const wellFormed = ids.filter((id) => UUID.test(id));
  const size = Math.max(1, options.chunkSize ?? BULK_CHUNK_SIZE);
  try {
    for (let start = 0; start < wellFormed.length; start += size) {
      outcomes.push(...(await runChunk(db, { ...job, runId, dryRun: input.dryRun }, wellFormed.slice(start, start + size), who, options.apply)));
    }
  } catch (error) {
    await record('finished', outcomes, error instanceof Error ? error.message.slice(0, 500) : String(error)).catch(() => undefined);
    throw error;
  }
  await record('finished', outcomes);
  const { changed, unchanged, byOutcome } = counts(outcomes);
  const refused = outcomes.flatMap((o) => ('reason' in o ? [{ accountId: o.accountId, code: o.outcome, reason: o.reason }] : []));
  return { runId, dryRun: input.dryRun, action: job.action, requested: ids.length, changed, unchanged, refused, byOutcome, limit, needsConfirmation };
}

function validate(input: BulkInput, now: Date): BulkJob {
  if (!(bulkActions as readonly string[]).includes(input.action)) throw new AppError('invalid_input', `Unknown bulk action "${String(input.action)}".`);
  const forRoles = input.action === 'grant_role' || input.action === 'revoke_role';
  const roleKey = input.roleKey?.trim() || null;
  if (forRoles && !roleKey) throw new AppError('invalid_input', 'Choose a role.');
  if (!forRoles && roleKey) throw new AppError('invalid_input', `A role goes only with grant_role and revoke_role, not ${input.action}.`);
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && input.action !== 'grant_role') throw new AppError('invalid_input', 'An expiry goes only with grant_role.');
  if (expiresAt && !(expiresAt.getTime() > now.getTime())) throw new AppError('invalid_input', 'A grant must expire in the future.');
  return { organizationId: input.organizationId, action: input.action, roleKey, expiresAt, reason: input.reason?.trim() || null };
}

function counts(outcomes: AccountOutcome[]) {
  const byOutcome: Partial<Record<AccountOutcome['outcome'], number>> = {};
  let changed = 0;
  let unchanged = 0;
  for (const { outcome } of outcomes) {
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
    if (isChanged(outcome)) changed++;
    else if (isUnchanged(outcome)) unchanged++;
  }
  return { changed, unchanged, refused: outcomes.length - changed - unchanged, byOutcome };
}
