'use server';

import { getDb } from '@/db';
import { findConsoleAccounts } from '@/db/queries/console-accounts';
import type { QuickSearchHit } from '@/components/console/quick-search';
import { requireConsole } from '@/lib/auth/session';

/** Quick search (Ctrl+K): the first accounts of the signed-in console user's organization matching the text. */
export async function searchAccounts(query: string): Promise<QuickSearchHit[]> {
  const user = await requireConsole();
  const term = String(query ?? '').trim().slice(0, 100);
  if (term.length < 2) return [];
  const { rows } = await findConsoleAccounts(getDb(), user.organizationId, { q: term, sort: { by: 'displayName', dir: 'asc' }, limit: 8 });
  return rows.map((r) => ({ id: r.id, userName: r.userName, displayName: r.displayName, status: r.status }));
}
