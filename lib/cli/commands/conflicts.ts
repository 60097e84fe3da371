import { findLinkConflicts } from '@/db/queries/account-links';
import { findNames } from '@/db/queries/names';
import { inTransaction } from '@/lib/lifecycle/context';
import { resolveLinkConflict } from '@/lib/lifecycle/identity/resolve-conflict';
import { UsageError, flag, integer, oneOf, optionalString, orgOption, requiredString, type Command } from '../command';
import { details, table } from '../format';
import { cliActor, getAccountIdOrThrow, getOrganizationOrThrow } from '../resolve';

const statuses = ['open', 'resolved', 'dismissed', 'all'] as const;

const list: Command = {
  name: 'conflicts list',
  summary: 'List link conflicts: identities that could not be linked safely, with the candidate accounts',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--status <status>', `${statuses.join(' | ')} (default open)`],
    ['--limit <n>', '1-1000 (default 100)'],
  ],
  options: { ...orgOption, status: { type: 'string' }, limit: { type: 'string' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const status = oneOf(values, 'status', statuses) ?? 'open';
    const limit = integer(values, 'limit', 100, { min: 1, max: 1000 });
    return async ({ db }) => {
      const org = await getOrganizationOrThrow(db, slug);
      const rows = await findLinkConflicts(db, org.id, status, limit);
      const names = await findNames(db, org.id, { accounts: rows.flatMap((r) => r.candidateAccountIds) });
      const conflicts = rows.map((r) => ({
        id: r.id,
        source: r.source,
        status: r.status,
        matchKey: r.matchKey,
        incoming: r.incoming,
        candidates: r.candidateAccountIds.map((id) => ({ accountId: id, name: names.get(id) ?? null })),
        occurrences: r.occurrences,
        firstSeenAt: r.createdAt,
        lastSeenAt: r.lastSeenAt,
        resolvedAt: r.resolvedAt,
        resolvedBy: r.resolvedBy,
      }));
      return {
        data: conflicts,
        text: table(conflicts, [
          ['ID', (c) => c.id],
          ['SOURCE', (c) => c.source],
          ['STATUS', (c) => c.status],
          ['INCOMING', (c) => Object.entries(c.incoming).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${String(v)}`)],
          ['CANDIDATES', (c) => c.candidates.map((x) => x.name ?? x.accountId)],
          ['SEEN', (c) => c.occurrences],
          ['LAST SEEN', (c) => c.lastSeenAt],
        ], status === 'open' ? '(no open link conflicts)' : '(none)'),
      };
    };
  },
};

const resolve: Command = {
  name: 'conflicts resolve',
  summary: 'Decide a link conflict: link the identity to one candidate account, or keep it apart (audited)',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--conflict <id>', 'the conflict (roster conflicts list)'],
    ['--link <user>', 'link to this account (the user name of one of its candidates)'],
    ['--keep-apart', 'link to none of them: the identity gets an account of its own'],
  ],
  options: { ...orgOption, conflict: { type: 'string' }, link: { type: 'string' }, 'keep-apart': { type: 'boolean' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const conflictId = requiredString(values, 'conflict');
    const link = optionalString(values, 'link');
    const apart = flag(values, 'keep-apart');
    if (!link === !apart) throw new UsageError('give --link <user> or --keep-apart');
    return async ({ db }) => {
      const result = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
        const org = await getOrganizationOrThrow(tx, slug);
        const accountId = link ? await getAccountIdOrThrow(tx, org, link) : null;
        return resolveLinkConflict(tx, { organizationId: org.id, conflictId, decision: link ? 'link' : 'keep_apart', accountId }, ctx);
      });
      return {
        data: result,
        text: link
          ? `Resolved: the ${result.source === 'login' ? 'sign-in' : 'SCIM push'} belongs to ${link}${result.source === 'login' ? ' (linked now)' : ' (linked when the directory sends it again)'}\n${details([['conflict', result.conflictId]])}`
          : `Kept apart: the ${result.source === 'login' ? 'sign-in' : 'SCIM push'} will get an account of its own\n${details([['conflict', result.conflictId]])}`,
      };
    };
  },
};

export const conflictsCommands = [list, resolve];
