import type { Database } from '@/db';
import { getReconcileFinding, resolveFindingReview } from '@/db/queries/reconcile-findings';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';

/**
 * An admin closes the review item of a finding (policy `review`): resolved (acted on, or fine as it
 * is) or dismissed, with a note, audited in the finding's organization. Only an open review can be
 * closed, once; the account itself is changed by the usual commands, not here.
 */
export async function resolveReview(db: Database, input: { organizationId: string; findingId: number; resolution: 'resolved' | 'dismissed'; note: string | null; actor: Actor }) {
  return db.transaction(async (tx) => {
    const finding = await getReconcileFinding(tx, input.organizationId, input.findingId, { forUpdate: true });
    if (!finding) throw new AppError('not_found', `no finding ${input.findingId} in this organization (roster reconcile findings --run RUN_ID lists them)`);
    if (finding.reviewState !== 'open') throw new AppError('conflict', `finding ${input.findingId} has ${finding.reviewState ? `a ${finding.reviewState} review` : 'no review item'}: only an open review can be resolved`);
    const by = input.actor.id ? `${input.actor.type}:${input.actor.id}` : input.actor.type;
    await resolveFindingReview(tx, input.organizationId, finding.id, { state: input.resolution, by, note: input.note });
    await recordEvent(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'reconcile.review_resolved',
      target: { type: 'reconcile_run', id: finding.runId },
      data: { runId: finding.runId, findingId: finding.id, category: finding.category, resolution: input.resolution, note: input.note },
    });
    return { findingId: finding.id, runId: finding.runId, category: finding.category, accountId: finding.accountId, reviewState: input.resolution };
  });
}
