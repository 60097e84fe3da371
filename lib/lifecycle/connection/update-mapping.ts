import { isDeepStrictEqual } from 'node:util';
import type { Tx } from '@/db';
import { getConnectionForUpdate, updateConnection } from '@/db/queries/connections';
import type { ClaimMapping } from '@/db/schema';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '../context';

/**
 * Replaces a connection's claim mapping (already checked by lib/connections/connection-input.ts's
 * parseClaimMapping, as the CLI's `--map` is), audited `connection.mapping_updated` with the whole
 * mapping before and after and the fields whose claim names changed. It applies from each
 * account's next sign-in through the connection. The same mapping: nothing is written or audited.
 */
export async function updateConnectionMapping(tx: Tx, input: { organizationId: string; connectionId: string; claimMapping: ClaimMapping }, ctx: CommandContext) {
  const current = await getConnectionForUpdate(tx, input.organizationId, input.connectionId);
  if (!current) throw new AppError('not_found', 'No such connection in this organization.');
  const before = current.claimMapping;
  const after = input.claimMapping;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => !isDeepStrictEqual(before[f], after[f]));
  if (fields.length === 0) return { connection: current, fields };
  await updateConnection(tx, input.organizationId, current.id, { claimMapping: after });
  ctx.record({
    organizationId: input.organizationId,
    actor: ctx.actor,
    action: 'connection.mapping_updated',
    target: { type: 'connection', id: current.id },
    before: { claimMapping: before },
    after: { claimMapping: after },
    data: { name: current.name, fields },
  });
  return { connection: { ...current, claimMapping: after }, fields };
}
