import type { Tx } from '@/db';
import { deleteConnection, getConnectionForUpdate, getConnectionImpact, type ConnectionImpact } from '@/db/queries/connections';
import { findConnectionDefaultAssignments } from '@/db/queries/role-assignments';
import { revokeConnectionSessions } from '@/db/queries/sessions';
import { AppError } from '@/lib/errors';
import { changeAccess } from '../access/gate';
import type { CommandContext } from '../context';

/** What deleting this connection would do to its accounts, in words (the CLI's refusal, the console's dialog). */
export function describeDeleteImpact(impact: ConnectionImpact): string[] {
  const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
  return [
    `${n(impact.accounts, 'account')} sign${impact.accounts === 1 ? 's' : ''} in through it: the accounts stay (status, profile, roles from rules, groups and admins), but their ${n(impact.identities, 'sign-in identity', 'sign-in identities')} through it are deleted`,
    ...(impact.onlyWayIn > 0 ? [`${n(impact.onlyWayIn, 'account has', 'accounts have')} no other way in (no other connection, not managed by SCIM) until a connection for their domain links them again`] : []),
    `${n(impact.openSessions, 'open session')} through it end now`,
    'the roles its default roles gave are revoked',
  ];
}

/**
 * Deletes a connection, audited `connection.deleted` with what it did. Its accounts are never
 * deleted: their identities through it go (foreign keys cascade), the sessions opened through it
 * end, and the roles its default roles granted are revoked through the access gate (audited
 * `role.revoked`). Refused while birthright rules are scoped to it or SCIM tokens tied to it are not
 * revoked (delete or revoke them first: their own commands handle the roles and pushes they carry),
 * and, unless `force`, while any account signs in through it (AppError conflict, with `details.impact`).
 */
export async function deleteConnectionAndIdentities(tx: Tx, input: { organizationId: string; connectionId: string; force?: boolean }, ctx: CommandContext) {
  const org = input.organizationId;
  const current = await getConnectionForUpdate(tx, org, input.connectionId);
  if (!current) throw new AppError('not_found', 'No such connection in this organization.');
  const impact = await getConnectionImpact(tx, org, current.id);
  if (impact.rules > 0) throw new AppError('conflict', `${current.name} has ${impact.rules} birthright rule${impact.rules === 1 ? '' : 's'} of its own: delete ${impact.rules === 1 ? 'it' : 'them'} first, so the roles they gave are revoked with them.`, { impact, reason: 'rules' });
  if (impact.scimTokens > 0) throw new AppError('conflict', `${current.name} has ${impact.scimTokens} SCIM token${impact.scimTokens === 1 ? '' : 's'} in use: revoke ${impact.scimTokens === 1 ? 'it' : 'them'} first (the IdP's pushes would stop with a 401).`, { impact, reason: 'scim_tokens' });
  if (impact.accounts > 0 && !input.force) {
    throw new AppError('conflict', `${current.name} is in use: ${describeDeleteImpact(impact).join('; ')}. Confirm to delete it anyway.`, { impact, reason: 'in_use' });
  }
  const defaults = await findConnectionDefaultAssignments(tx, org, current.id);
  const access = await changeAccess(tx, { organizationId: org, revokes: defaults.map((assignment) => ({ assignment, reason: `connection ${current.name} deleted` })), current: defaults }, ctx);
  const sessions = await revokeConnectionSessions(tx, org, current.id, 'connection deleted');
  await deleteConnection(tx, org, current.id);
  const data = { name: current.name, protocol: current.protocol, accounts: impact.accounts, identities: impact.identities, onlyWayIn: impact.onlyWayIn, sessionsRevoked: sessions.length, rolesRevoked: access.revoked.length, forced: impact.accounts > 0 };
  ctx.record({
    organizationId: org,
    actor: ctx.actor,
    action: 'connection.deleted',
    target: { type: 'connection', id: current.id },
    before: { name: current.name, protocol: current.protocol, allowedDomains: current.allowedDomains, issuer: current.issuer, clientId: current.clientId, defaultRoles: current.defaultRoles },
    data,
  });
  return { connectionId: current.id, ...data };
}
