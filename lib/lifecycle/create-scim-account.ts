import type { Tx } from '@/db';
import { insertAccount } from '@/db/queries/accounts';
import type { Account } from '@/db/schema';
import type { Actor, AuditInput } from '@/lib/audit/record-event';
import { reconcileAccountRoles, type BirthrightPolicy } from './reconcile-account-roles';
import type { ScimAccountInput } from './scim-account-input';

/** Where a SCIM write lands: the token's organization, and its connection (domains, default roles) if tied to one. */
export type ScimScope = { organizationId: string; connection: { id: string; allowedDomains: string[]; defaultRoles: string[] } | null };

/**
 * Joiner: the IdP pushed a new person. The account exists before any login (source scim, no
 * identity yet); SCIM owns the fields it sent; birthright roles follow the same rules as JIT.
 * `policy`: the connection's birthright policy, if the caller loaded it already (loadBirthrightPolicy).
 */
export async function createScimAccount(tx: Tx, scope: ScimScope, input: ScimAccountInput, actor: Actor, policy?: BirthrightPolicy): Promise<Account> {
  const now = new Date();
  const suspended = input.active === false;
  const account = await insertAccount(tx, {
    ...input.profile,
    userName: input.profile.userName!,
    organizationId: scope.organizationId,
    source: 'scim',
    status: suspended ? 'suspended' : 'active',
    deactivatedAt: suspended ? now : null,
    externalId: input.externalId,
    scimManagedAt: now,
    scimOwnedFields: input.present,
    scimAttributes: input.scimAttributes,
    scimActive: input.active ?? null,
  });
  const created: AuditInput = {
    organizationId: scope.organizationId,
    actor,
    action: 'account.scim_created',
    target: { type: 'account', id: account.id },
    after: { ...input.profile, externalId: input.externalId, status: account.status, source: 'scim' },
    data: { connectionId: scope.connection?.id ?? null },
  };
  // The creation event is written with the birthright grants' events, in one statement.
  await reconcileAccountRoles(tx, { account, connection: scope.connection, groupNames: [], isNew: true, policy, events: [created] }, actor);
  return account;
}
