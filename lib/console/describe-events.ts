import type { Tx } from '@/db';
import { findNames } from '@/db/queries/names';
import { describeChanges, describeEvent, type DescribableEvent } from '@/lib/audit/describe';
import { namesNeeded } from '@/lib/audit/describe-names';

/**
 * Audit events as the console shows them: each in words, with names rather than ids (looked up
 * in one round of queries for the whole page), and its before/after as a list of changes.
 */
export async function describeEvents<E extends DescribableEvent>(db: Tx, organizationId: string, events: E[]) {
  const needed = namesNeeded(events);
  const names = await findNames(db, organizationId, needed);
  const book = { accounts: names, connections: names, groups: names, scimTokens: names, roles: names, rules: names };
  return events.map((event) => ({ ...event, sentence: describeEvent(event, book), changes: describeChanges(event) }));
}
