import { userInfo } from 'node:os';
import type { Tx } from '@/db';
import { getAccountIdByUserName } from '@/db/queries/accounts';
import { getOrganizationBySlug } from '@/db/queries/organizations';
import type { Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';

export async function getOrganizationOrThrow(db: Tx, slug: string) {
  const org = await getOrganizationBySlug(db, slug);
  if (!org) throw new AppError('not_found', `organization ${slug} not found (roster org list shows them)`);
  return org;
}

export async function getAccountIdOrThrow(db: Tx, organization: { id: string; slug: string }, userName: string) {
  const id = await getAccountIdByUserName(db, organization.id, userName);
  if (!id) throw new AppError('not_found', `no account ${userName} in organization ${organization.slug}`);
  return id;
}

/** The CLI acts as the operating-system user who ran it. */
export function cliActor(): Actor {
  let name: string | null = null;
  try {
    name = userInfo().username || null;
  } catch {
    // No passwd entry (some containers): audit the CLI without a name.
  }
  return { type: 'cli', id: name };
}
