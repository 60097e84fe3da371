import type { Tx } from '@/db';
import { insertConnection } from '@/db/queries/connections';
import { upsertRole } from '@/db/queries/roles';
import type { ClaimMapping } from '@/db/schema';
import type { SamlConfig } from '@/lib/saml/config';
import type { CommandContext } from '../context';

/** What every connection takes, whatever its protocol (checked by lib/connections/connection-input.ts). */
export type ConnectionSettings = {
  name: string;
  allowedDomains: string[];
  defaultRoles: string[];
  jitEnabled: boolean;
  claimMapping: ClaimMapping;
  /** Unset: the column's default (email). */
  requiredAttributes?: string[];
};

export type NewConnectionInput = ConnectionSettings &
  (
    | { protocol: 'oidc'; issuer: string; clientId: string; clientSecretEncrypted: string }
    | { protocol: 'saml'; samlMetadata: string | null; samlConfig: SamlConfig }
  );

/**
 * Adds an identity-provider connection to an organization, with the default roles it names
 * (created if missing), audited `connection.created` (never the secret). The CLI's
 * `connection create` and the console's new-connection page both come here.
 */
export async function createConnection(tx: Tx, input: { organizationId: string } & NewConnectionInput, ctx: CommandContext) {
  for (const key of input.defaultRoles) await upsertRole(tx, { organizationId: input.organizationId, key, name: key });
  const row = await insertConnection(tx, input);
  const idp =
    input.protocol === 'oidc'
      ? { issuer: input.issuer, clientId: input.clientId }
      : { idpEntityId: input.samlConfig.idpEntityId, ssoUrl: input.samlConfig.ssoUrl };
  ctx.record({
    organizationId: input.organizationId,
    actor: ctx.actor,
    action: 'connection.created',
    target: { type: 'connection', id: row.id },
    after: {
      protocol: input.protocol,
      name: input.name,
      allowedDomains: input.allowedDomains,
      defaultRoles: input.defaultRoles,
      jitEnabled: input.jitEnabled,
      claimMapping: input.claimMapping,
      ...(input.requiredAttributes ? { requiredAttributes: input.requiredAttributes } : {}),
      ...idp,
    },
  });
  return row;
}
