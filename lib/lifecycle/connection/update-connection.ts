import { isDeepStrictEqual } from 'node:util';
import type { Tx } from '@/db';
import { getConnectionForUpdate, updateConnection } from '@/db/queries/connections';
import { upsertRole } from '@/db/queries/roles';
import { AppError } from '@/lib/errors';
import type { SamlConfig } from '@/lib/saml/config';
import type { CommandContext } from '../context';
import type { ConnectionSettings } from './create-connection';

/** A change to a connection: only what is given changes. OIDC fields on an OIDC connection, SAML fields on a SAML one. */
export type ConnectionChanges = Partial<ConnectionSettings> & {
  issuer?: string;
  clientId?: string;
  /** The new client secret, sealed by the caller (lib/crypto/secret-box); audited only as changed. */
  clientSecretEncrypted?: string;
  samlMetadata?: string | null;
  samlConfig?: SamlConfig;
};

const oidcOnly = ['issuer', 'clientId', 'clientSecretEncrypted'] as const;
const samlOnly = ['samlMetadata', 'samlConfig'] as const;
/** Stored, but too long or secret for the audit trail's before/after: recorded as changed only. */
const notShown = new Set(['clientSecretEncrypted', 'samlMetadata']);

/**
 * Changes a connection's settings (name, domains, JIT, required claims, default roles, claim
 * mapping, the IdP's coordinates), audited `connection.updated` with the fields changed and their
 * values before and after (the secret and the metadata document only named). The mapping, the
 * required claims and the default roles apply from each account's next sign-in through it.
 * Nothing given that differs from what is stored: nothing is written or audited.
 */
export async function updateConnectionSettings(tx: Tx, input: { organizationId: string; connectionId: string; changes: ConnectionChanges }, ctx: CommandContext) {
  const current = await getConnectionForUpdate(tx, input.organizationId, input.connectionId);
  if (!current) throw new AppError('not_found', 'No such connection in this organization.');
  const wrong = current.protocol === 'oidc' ? samlOnly : oidcOnly;
  const misplaced = wrong.find((k) => input.changes[k] !== undefined);
  if (misplaced) throw new AppError('invalid_input', `${current.name} is an ${current.protocol.toUpperCase()} connection: ${misplaced} does not apply to it.`);
  const stored = current as Record<string, unknown>;
  // The secret and the metadata document are not read back to compare: given is changed.
  const changed = Object.entries(input.changes).filter(([key, value]) => value !== undefined && (notShown.has(key) || !isDeepStrictEqual(stored[key], value)));
  if (changed.length === 0) return { connection: current, changed: [] as string[] };
  for (const key of input.changes.defaultRoles ?? []) await upsertRole(tx, { organizationId: input.organizationId, key, name: key });
  const row = await updateConnection(tx, input.organizationId, current.id, Object.fromEntries(changed));
  const keys = changed.map(([key]) => key);
  const shown = keys.filter((k) => !notShown.has(k));
  const names = keys.map((k) => (k === 'clientSecretEncrypted' ? 'clientSecret' : k));
  ctx.record({
    organizationId: input.organizationId,
    actor: ctx.actor,
    action: 'connection.updated',
    target: { type: 'connection', id: current.id },
    before: Object.fromEntries(shown.map((k) => [k, stored[k] ?? null])),
    after: Object.fromEntries(shown.map((k) => [k, (input.changes as Record<string, unknown>)[k]])),
    data: { name: row!.name, changed: names },
  });
  return { connection: row!, changed: names };
}
