import type { Tx } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { findIdentitiesForAccount } from '@/db/queries/external-identities';
import { findNames } from '@/db/queries/names';
import { findAccountRoles } from '@/db/queries/roles';
import { findGroupsOfAccounts } from '@/db/queries/scim-accounts';
import { findOpenSessions } from '@/db/queries/sessions';
import { AppError } from '@/lib/errors';
import { profileFields, type FieldOwners } from '@/lib/model/account';

/**
 * One account as an administrator reads it (`roster account show`, the console's account page):
 * its profile and which door owns each attribute, its sign-in identities, the roles in force (an
 * expired grant is none), its groups and its open sessions.
 */
export async function getAccountView(db: Tx, organizationId: string, accountId: string) {
  const [account, identities, roles, groups, sessions] = await Promise.all([
    getAccountById(db, organizationId, accountId),
    findIdentitiesForAccount(db, organizationId, accountId),
    findAccountRoles(db, organizationId, accountId),
    findGroupsOfAccounts(db, organizationId, [accountId]),
    findOpenSessions(db, organizationId, accountId),
  ]);
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  const owners: FieldOwners = account.fieldOwners;
  const refs = (prefix: string) => roles.map((r) => r.sourceRef).filter((ref) => ref.startsWith(prefix)).map((ref) => ref.slice(prefix.length));
  const names = await findNames(db, organizationId, { rules: refs('rule:'), groups: refs('group:'), connections: [...refs('connection:'), ...identities.map((i) => i.connectionId)], accounts: roles.map((r) => r.grantedBy ?? '') });
  return {
    id: account.id,
    organizationId: account.organizationId,
    userName: account.userName,
    status: account.status,
    source: account.source,
    externalId: account.externalId,
    scimManaged: account.scimManagedAt !== null,
    securityHold: account.securityHoldAt ? { at: account.securityHoldAt, reason: account.securityHoldReason, by: account.securityHoldBy } : null,
    createdAt: account.createdAt,
    firstLoginAt: account.firstLoginAt,
    lastLoginAt: account.lastLoginAt,
    /** The account's end date (contractors): after it the end-date job suspends it. */
    endsAt: account.endsAt,
    profile: Object.fromEntries(profileFields.map((f) => [f, account[f]])) as Record<(typeof profileFields)[number], string | null>,
    extraAttributes: account.extraAttributes,
    /** The door that owns each attribute it set (jit, scim, admin, hr); absent: nobody's. */
    owners,
    roles: roles.map((r) => ({
      key: r.key,
      name: r.name,
      source: r.source,
      sourceRef: r.sourceRef,
      /** What granted it, by name: the rule, the group, the connection (default role), or the admin. */
      grantedThrough: names.get(r.sourceRef.slice(r.sourceRef.indexOf(':') + 1)) ?? (r.source === 'manual' ? (names.get(r.grantedBy ?? '') ?? r.grantedBy) : null),
      grantedAt: r.grantedAt,
      expiresAt: r.expiresAt,
    })),
    identities: identities.map((i) => ({ connectionId: i.connectionId, connectionName: i.connectionName, protocol: i.protocol, subject: i.subject, lastLoginAt: i.lastLoginAt })),
    groups: groups.map((g) => ({ id: g.groupId, displayName: g.displayName })),
    loginGroups: account.loginGroups,
    sessions: sessions.map((s) => ({ id: s.id, connectionId: s.connectionId, createdAt: s.createdAt, expiresAt: s.expiresAt, ip: s.ip })),
  };
}

export type AccountView = Awaited<ReturnType<typeof getAccountView>>;
