import type { Database } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { findPlannedFindings, lockActiveAccounts, openFindingReviews, setFindingOutcomes } from '@/db/queries/reconcile-findings';
import type { AuditInput } from '@/lib/audit/record-event';
import type { Actor } from '@/lib/audit/record-event';
import { deprovisionAccounts } from '@/lib/lifecycle/account/deprovision-accounts';
import { setAccountsStatus } from '@/lib/lifecycle/account/set-accounts-status';
import { updateAccount } from '@/lib/lifecycle/account/update-account';
import { inTransaction, type CommandContext } from '@/lib/lifecycle/context';
import { isProfileField, mayWrite, type Profile } from '@/lib/model/account';

export const RECONCILE_JOB = 'reconcile';
/** Accounts per transaction when suspending or deprovisioning; drift updates go one account at a time in smaller batches. */
export const STATUS_BATCH = 2_000;
export const UPDATE_BATCH = 200;

export type ApplyScope = { runId: string; organizationId: string; sourceName: string; actor: Actor; now: Date; batchSize?: number };
type Planned = Awaited<ReturnType<typeof findPlannedFindings>>[number];

/**
 * The events a remediation's commands record carry the run, the job, the finding and its category
 * (data.runId, data.job, data.findingId, data.category), whatever command records them.
 */
function tagged(ctx: CommandContext, runId: string, byAccount: Map<string, Planned>): CommandContext {
  return {
    ...ctx,
    record: (event) => {
      const finding = event.target?.type === 'account' ? byAccount.get(event.target.id) : undefined;
      if (!finding || !['account.suspended', 'account.deprovisioned', 'account.updated'].includes(event.action)) return ctx.record(event);
      ctx.record({ ...event, data: { ...(event.data ?? {}), runId, job: RECONCILE_JOB, findingId: finding.id, category: finding.category } } as AuditInput);
    },
  };
}

/** Why the finding's account changes, in words (the audit event's clause). */
function clauseOf(finding: Planned, sourceName: string): string {
  const d = finding.details as { reason?: string; endDate?: string | null };
  if (finding.category === 'orphan') return `orphan: active here, no record in ${sourceName}`;
  if (d.reason === 'ended') return `stale: past its end date ${d.endDate ?? ''} in ${sourceName}`.replace('  ', ' ');
  return `stale: inactive in ${sourceName}`;
}

async function applyStatus(db: Database, scope: ApplyScope, action: 'suspend' | 'deprovision'): Promise<{ applied: number; skipped: number; sessionsRevoked: number }> {
  const done = { applied: 0, skipped: 0, sessionsRevoked: 0 };
  for (let after = 0; ; ) {
    const batch = await findPlannedFindings(db, scope.runId, action, after, scope.batchSize ?? STATUS_BATCH);
    if (batch.length === 0) return done;
    after = batch.at(-1)!.id;
    const byAccount = new Map(batch.filter((f) => f.accountId).map((f) => [f.accountId!, f]));
    await inTransaction(db, { actor: scope.actor, now: scope.now }, async (tx, ctx) => {
      const locked = await lockActiveAccounts(tx, scope.organizationId, [...byAccount.keys()]);
      const accounts = locked.map((a) => ({ id: a.id, status: a.status, reason: `reconciliation of ${scope.sourceName}`, clause: clauseOf(byAccount.get(a.id)!, scope.sourceName) }));
      const run = { organizationId: scope.organizationId, accounts, job: RECONCILE_JOB, runId: scope.runId };
      const tx2 = tagged(ctx, scope.runId, byAccount);
      let changed: string[];
      if (action === 'deprovision') changed = (await deprovisionAccounts(tx, run, tx2)).changed;
      else {
        const result = await setAccountsStatus(tx, { ...run, status: 'suspended' }, tx2);
        changed = result.changed;
        done.sessionsRevoked += result.sessionsRevoked;
      }
      const yes = new Set(changed);
      await setFindingOutcomes(
        tx,
        scope.runId,
        batch.map((f) => (f.accountId && yes.has(f.accountId) ? { id: f.id, outcome: 'applied' as const } : { id: f.id, outcome: 'skipped' as const, why: 'no longer active' })),
      );
      done.applied += yes.size;
      done.skipped += batch.length - yes.size;
    });
  }
}

/** The source's values of the attributes that drifted, as an HR door's input. */
function inputOf(finding: Planned) {
  const attributes = ((finding.details as { attributes?: Record<string, { source: string | null }> }).attributes ?? {}) as Record<string, { source: string | null }>;
  const profile: Partial<Profile> = {};
  const extraAttributes: Record<string, string> = {};
  for (const [field, { source }] of Object.entries(attributes)) {
    if (isProfileField(field)) profile[field] = source;
    else if (field.startsWith('extra.') && source !== null) extraAttributes[field.slice(6)] = source;
  }
  return { door: 'hr' as const, profile, ...(Object.keys(extraAttributes).length ? { extraAttributes } : {}) };
}

/**
 * Drift: the source's values through the one update of an account, door `hr` (field ownership of
 * lib/model/account.ts decides: HR overwrites what a sign-in or an admin set and what SCIM set, as
 * an equal authority; it never clears the user name). A field the door may not write is skipped.
 * Birthright roles are not re-evaluated here (they move at the person's next sign-in or SCIM push).
 */
async function applyUpdates(db: Database, scope: ApplyScope): Promise<{ applied: number; skipped: number }> {
  const done = { applied: 0, skipped: 0 };
  for (let after = 0; ; ) {
    const batch = await findPlannedFindings(db, scope.runId, 'update', after, Math.min(scope.batchSize ?? UPDATE_BATCH, UPDATE_BATCH));
    if (batch.length === 0) return done;
    after = batch.at(-1)!.id;
    const byAccount = new Map(batch.filter((f) => f.accountId).map((f) => [f.accountId!, f]));
    await inTransaction(db, { actor: scope.actor, now: scope.now }, async (tx, ctx) => {
      const outcomes: Parameters<typeof setFindingOutcomes>[2] = [];
      const tx2 = tagged(ctx, scope.runId, byAccount);
      for (const finding of batch) {
        const account = finding.accountId ? await getAccountById(tx, scope.organizationId, finding.accountId, { forUpdate: true }) : null;
        if (!account || account.status === 'deprovisioned') {
          outcomes.push({ id: finding.id, outcome: 'skipped', why: 'the account is gone' });
          continue;
        }
        const input = inputOf(finding);
        const { changed } = await updateAccount(tx, { account, input, mode: 'merge' }, tx2);
        const refused = Object.keys(input.profile).filter((f) => isProfileField(f) && !mayWrite('hr', account.fieldOwners[f]));
        if (changed.length > 0) outcomes.push({ id: finding.id, outcome: 'applied', why: refused.length ? `kept (owned elsewhere): ${refused.join(', ')}` : null });
        else outcomes.push({ id: finding.id, outcome: 'skipped', why: refused.length ? `owned by another door: ${refused.join(', ')}` : 'nothing to change' });
      }
      await setFindingOutcomes(tx, scope.runId, outcomes);
      done.applied += outcomes.filter((o) => o.outcome === 'applied').length;
      done.skipped += outcomes.filter((o) => o.outcome === 'skipped').length;
    });
  }
}

/**
 * A real run's remediation, after the sanity checks and the breaker passed: deprovisions, then
 * suspensions (each batch one transaction: the accounts locked and re-checked, changed through the
 * lifecycle's batch commands, sessions ended, every event with the run and the finding), then
 * drift updates, then review items opened. A run killed midway leaves whole batches done; each
 * finding says what came of its action.
 */
export async function applyRemediation(db: Database, scope: ApplyScope): Promise<Record<string, number>> {
  const deprovision = await applyStatus(db, scope, 'deprovision');
  const suspend = await applyStatus(db, scope, 'suspend');
  const update = await applyUpdates(db, scope);
  const review = await openFindingReviews(db, scope.runId);
  const applied: Record<string, number> = {};
  const put = (key: string, n: number) => void (n > 0 && (applied[key] = n));
  put('deprovision', deprovision.applied);
  put('suspend', suspend.applied);
  put('update', update.applied);
  put('review', review);
  put('skipped', deprovision.skipped + suspend.skipped + update.skipped);
  put('sessionsRevoked', suspend.sessionsRevoked);
  return applied;
}
