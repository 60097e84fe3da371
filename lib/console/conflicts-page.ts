import { z } from 'zod';
import type { Tx } from '@/db';
import { findLinkConflicts, type LinkConflictRow } from '@/db/queries/account-links';
import { findAccountsByIds } from '@/db/queries/accounts';
import { findConnectionsByOrganization } from '@/db/queries/connections';
import type { ActionContext } from '@/lib/auth/define-action';
import { isUuid } from '@/lib/ids';
import { resolveLinkConflict } from '@/lib/lifecycle/identity/resolve-conflict';

/**
 * The link-conflicts page (`/admin/conflicts`), without Next.js: the open queue (each identity with
 * its candidate accounts and why each could be it) and the settled ones apart; the decision runs
 * resolveLinkConflict in the admin's organization (another organization's conflict is not found).
 */
export const CONFLICTS_SHOWN = 100;

const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : null);
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

export type ConflictCandidate = { accountId: string; userName: string; displayName: string | null; email: string | null; status: string; scimManaged: boolean; why: string[] };
export type ConflictView = {
  id: string;
  source: 'scim' | 'login';
  status: LinkConflictRow['status'];
  /** The incoming identity: what the push or the sign-in said. */
  incoming: { userName: string | null; email: string | null; externalId: string | null; subject: string | null };
  connectionName: string | null;
  candidates: ConflictCandidate[];
  occurrences: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
};

/** Why a candidate could be the incoming identity, by the rules find-person.ts matched with. */
function reasons(row: LinkConflictRow, a: { userName: string; email: string | null; externalId: string | null }): string[] {
  const why: string[] = [];
  const incoming = row.incoming;
  if (lower(incoming.userName) && lower(incoming.userName) === lower(a.userName)) why.push('same user name');
  if (lower(incoming.email) && lower(incoming.email) === lower(a.email)) why.push('same email');
  const directoryId = row.source === 'login' ? text(incoming.subject) : text(incoming.externalId);
  if (directoryId && directoryId === a.externalId) why.push(row.source === 'login' ? 'its SCIM externalId is the sign-in’s subject' : 'same externalId');
  return why.length ? why : ['matched when held; its user name, email and directory id differ now'];
}

export async function loadConflictsPage(db: Tx, organizationId: string) {
  const [open, all, connections] = await Promise.all([findLinkConflicts(db, organizationId, 'open', CONFLICTS_SHOWN), findLinkConflicts(db, organizationId, 'all', CONFLICTS_SHOWN * 2), findConnectionsByOrganization(db, organizationId)]);
  const settled = all.filter((r) => r.status !== 'open').slice(0, CONFLICTS_SHOWN);
  const deciders = settled.flatMap((r) => (r.resolvedBy && isUuid(r.resolvedBy.slice(r.resolvedBy.indexOf(':') + 1)) ? [r.resolvedBy.slice(r.resolvedBy.indexOf(':') + 1)] : []));
  const accounts = new Map((await findAccountsByIds(db, organizationId, [...new Set([...open, ...settled].flatMap((r) => r.candidateAccountIds).concat(deciders))])).map((a) => [a.id, a]));
  /** "admin:<account id>" as the admin's name (the CLI's "cli:…" as it is). */
  const decider = (by: string | null) => {
    const a = by ? accounts.get(by.slice(by.indexOf(':') + 1)) : undefined;
    return a ? (a.displayName ?? a.userName) : by;
  };
  const connectionName = new Map(connections.map((c) => [c.id, c.name]));
  const view = (row: LinkConflictRow): ConflictView => ({
    id: row.id,
    source: row.source === 'login' ? 'login' : 'scim',
    status: row.status,
    incoming: { userName: text(row.incoming.userName), email: text(row.incoming.email), externalId: text(row.incoming.externalId), subject: text(row.incoming.subject) },
    connectionName: row.source === 'login' ? (connectionName.get(row.matchKey.split(':')[1] ?? '') ?? null) : null,
    candidates: row.candidateAccountIds.flatMap((id) => {
      const a = accounts.get(id);
      return a ? [{ accountId: a.id, userName: a.userName, displayName: a.displayName, email: a.email, status: a.status, scimManaged: a.scimManagedAt !== null, why: reasons(row, a) }] : [];
    }),
    occurrences: row.occurrences,
    firstSeenAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    resolvedAt: row.resolvedAt,
    resolvedBy: decider(row.resolvedBy),
  });
  return { open: open.map(view), settled: settled.map(view) };
}

export const resolveConflictSchema = z.discriminatedUnion('decision', [
  z.object({ conflictId: z.string().trim().min(1, 'No such link conflict.'), decision: z.literal('link'), accountId: z.uuid('Choose one of the candidate accounts.') }),
  z.object({ conflictId: z.string().trim().min(1, 'No such link conflict.'), decision: z.literal('keep_apart') }),
]);

export async function resolveConflict(input: z.infer<typeof resolveConflictSchema>, ctx: ActionContext) {
  const accountId = input.decision === 'link' ? input.accountId : null;
  const result = await resolveLinkConflict(ctx.tx, { organizationId: ctx.admin.organizationId, conflictId: input.conflictId, decision: input.decision, accountId }, ctx.command);
  const what = result.source === 'login' ? 'sign-in' : 'SCIM push';
  if (result.decision === 'keep_apart') return { message: `Kept apart: the ${what} will get an account of its own.` };
  return { message: result.source === 'login' ? `Linked: the ${what} belongs to that account now.` : `Resolved: the ${what} is linked to that account when the directory sends it again.` };
}
