import type { Tx } from '@/db';
import { getConnectionForUpdate, getConnectionImpact, updateConnection } from '@/db/queries/connections';
import { revokeConnectionSessions } from '@/db/queries/sessions';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '../context';

/**
 * Turns a connection off or back on, audited `connection.disabled` / `connection.enabled`.
 *
 * Disabled, every sign-in through it is refused with the "turned off" page (and `login.rejected`,
 * reason connection_disabled), and the sessions opened through it end now. Nothing is deleted: its
 * accounts keep their status, roles and identities, sign in through any other connection they
 * have, and SCIM tokens tied to it keep working (revoke them apart). Enabled again, its users sign
 * in as before. Already in the state asked for: nothing is written or audited (`changed: false`).
 */
export async function setConnectionEnabled(tx: Tx, input: { organizationId: string; connectionId: string; enabled: boolean }, ctx: CommandContext) {
  const current = await getConnectionForUpdate(tx, input.organizationId, input.connectionId);
  if (!current) throw new AppError('not_found', 'No such connection in this organization.');
  const impact = await getConnectionImpact(tx, input.organizationId, current.id);
  if (current.enabled === input.enabled) return { connection: current, changed: false, sessionsRevoked: 0, accounts: impact.accounts };
  const connection = (await updateConnection(tx, input.organizationId, current.id, { enabled: input.enabled }))!;
  const revoked = input.enabled ? [] : await revokeConnectionSessions(tx, input.organizationId, current.id, 'connection disabled');
  ctx.record(
    input.enabled
      ? { organizationId: input.organizationId, actor: ctx.actor, action: 'connection.enabled', target: { type: 'connection', id: current.id }, data: { name: current.name } }
      : {
          organizationId: input.organizationId,
          actor: ctx.actor,
          action: 'connection.disabled',
          target: { type: 'connection', id: current.id },
          data: { name: current.name, accounts: impact.accounts, sessionsRevoked: revoked.length },
        },
  );
  return { connection, changed: true, sessionsRevoked: revoked.length, accounts: impact.accounts };
}
