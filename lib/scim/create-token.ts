import { randomBytes } from 'node:crypto';
import type { Tx } from '@/db';
import { getConnectionById } from '@/db/queries/connections';
import { insertScimToken, revokeScimToken as revokeTokenRow } from '@/db/queries/scim-tokens';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';
import { hashScimToken } from './authenticate';

const PREFIX = 'roster_scim_';

/**
 * A new SCIM bearer token for an organization (optionally tied to one connection, whose attribute
 * rules and default roles SCIM-provisioned accounts then get). The plaintext is returned once and
 * never stored: only its SHA-256 hash and a short prefix to tell tokens apart. The connection must
 * be one of the organization's (another organization's is not found).
 */
export async function createScimToken(
  tx: Tx,
  input: { organizationId: string; connectionId?: string | null; name: string },
  actor: Actor,
): Promise<{ id: string; token: string; tokenPrefix: string; name: string; createdAt: Date }> {
  const name = input.name.trim();
  if (!name) throw new AppError('invalid_input', 'A SCIM token needs a name.');
  if (input.connectionId) {
    const connection = await getConnectionById(tx, input.connectionId);
    if (connection?.organizationId !== input.organizationId) throw new AppError('not_found', 'No such connection in this organization.');
  }
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const tokenPrefix = token.slice(0, PREFIX.length + 6);
  const row = await insertScimToken(tx, {
    organizationId: input.organizationId,
    connectionId: input.connectionId ?? null,
    name,
    tokenHash: hashScimToken(token),
    tokenPrefix,
    createdBy: actor.id ?? actor.type,
  });
  await recordEvent(tx, {
    organizationId: input.organizationId,
    actor,
    action: 'scim_token.created',
    target: { type: 'scim_token', id: row.id },
    data: { name, tokenPrefix, connectionId: input.connectionId ?? null },
  });
  return { id: row.id, token, tokenPrefix, name, createdAt: row.createdAt };
}

export async function revokeScimToken(tx: Tx, input: { organizationId: string; tokenId: string }, actor: Actor) {
  const row = await revokeTokenRow(tx, input.organizationId, input.tokenId);
  if (!row) throw new AppError('not_found', 'No such active SCIM token in this organization.');
  await recordEvent(tx, {
    organizationId: input.organizationId,
    actor,
    action: 'scim_token.revoked',
    target: { type: 'scim_token', id: row.id },
    data: { name: row.name, tokenPrefix: row.tokenPrefix },
  });
  return row;
}
