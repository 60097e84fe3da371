/**
 * Words for reconciliation figures, shared by the pages, their dialogs and the action messages.
 * Pure (client components import it too).
 */
const n = (count: number) => count.toLocaleString('en-US');
const accounts = (count: number) => `${n(count)} account${count === 1 ? '' : 's'}`;

export const categoryLabels: Record<string, string> = { matched: 'Matched', drift: 'Drift', orphan: 'Orphan', stale: 'Stale', missing: 'Missing', conflict: 'Conflict' };
export const categoryHints: Record<string, string> = {
  drift: 'matched, but an attribute differs from the source',
  orphan: 'active here, no record at the source',
  stale: 'inactive or past its end date at the source, active here',
  missing: 'active at the source, no account here',
  conflict: 'several possible matches: never guessed',
};
export const remediationLabels: Record<string, string> = { report: 'Report only', suspend: 'Suspend', deprovision: 'Deprovision', update: 'Update from the source', review: 'Open a review item' };

/** What a run's planned actions would do ("suspend 2 accounts, open 1 review item"); `report` is not an action. */
export function describePlanned(actions: Record<string, number>): string {
  const parts: string[] = [];
  if (actions.deprovision) parts.push(`deprovision ${accounts(actions.deprovision)}`);
  if (actions.suspend) parts.push(`suspend ${accounts(actions.suspend)}`);
  if (actions.update) parts.push(`update ${accounts(actions.update)} from the source`);
  if (actions.review) parts.push(`open ${n(actions.review)} review item${actions.review === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

/** What a real run did. */
export function describeApplied(actions: Record<string, number>): string {
  const parts: string[] = [];
  if (actions.deprovision) parts.push(`deprovisioned ${accounts(actions.deprovision)}`);
  if (actions.suspend) parts.push(`suspended ${accounts(actions.suspend)}`);
  if (actions.update) parts.push(`updated ${accounts(actions.update)}`);
  if (actions.review) parts.push(`opened ${n(actions.review)} review item${actions.review === 1 ? '' : 's'}`);
  if (actions.skipped) parts.push(`skipped ${n(actions.skipped)} (changed meanwhile)`);
  return parts.length ? parts.join(', ') : 'nothing';
}

/** Counts by category, in the engine's order, for chips and summaries. */
export function categoryCounts(counts: Record<string, number>, order = ['drift', 'orphan', 'stale', 'missing', 'conflict', 'matched']) {
  return order.map((category) => ({ category, label: categoryLabels[category] ?? category, count: counts[category] ?? 0 }));
}
