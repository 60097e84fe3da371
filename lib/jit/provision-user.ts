import { sql } from 'drizzle-orm';
import type { Database, Tx } from '@/db';
import { getAccountByIdentity, getAccountIdByUserName, recordAccountLogin } from '@/db/queries/accounts';
import { getConnectionById, type ConnectionRow } from '@/db/queries/connections';
import { insertExternalIdentity, touchExternalIdentity } from '@/db/queries/external-identities';
import { findGroupsOfAccounts } from '@/db/queries/scim-accounts';
import { insertSession } from '@/db/queries/sessions';
import type { Account } from '@/db/schema';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { isUniqueViolation } from '@/lib/errors';
import type { ProfilePatch } from '@/lib/lifecycle/account-fields';
import { createAccount } from '@/lib/lifecycle/create-account';
import { linkLoginToAccount } from '@/lib/lifecycle/link-login';
import { reconcileAccountRoles } from '@/lib/lifecycle/reconcile-account-roles';
import { updateAccountProfile } from '@/lib/lifecycle/update-account';
import { loginRefusals, type LoginRefusalReason } from './login-refusal';
import { defaultMappingFor, emailDomain, mapClaims, missingAttributes, type Claims, type MappedAttributes } from './map-claims';

/** A verified, protocol-neutral identity: what OIDC and SAML adapters hand over after validation. */
export type VerifiedIdentity = { connectionId: string; subject: string; claims: Claims };
export type LoginContext = { ip?: string | null; userAgent?: string | null; requestId?: string | null; sessionMaxAgeSeconds: number };

export type LoginSuccess = {
  ok: true;
  organizationId: string;
  accountId: string;
  sessionId: string;
  sessionExpiresAt: Date;
  created: boolean;
  changed: string[];
  rolesGranted: number;
  rolesRevoked: number;
};
export type LoginRefused = { ok: false; reason: LoginRefusalReason; message: string; organizationId: string | null; detail?: string };
export type LoginResult = LoginSuccess | LoginRefused;

const statusRefusal: Record<Exclude<Account['status'], 'active'>, LoginRefusalReason> = {
  suspended: 'account_suspended',
  deprovisioned: 'account_deprovisioned',
  pending_approval: 'account_pending_approval',
};

/**
 * The JIT pipeline: one login, one transaction. Finds the account by (connection, subject) or
 * creates it from the mapped claims, updates attributes and birthright roles, and opens a session.
 * Every refusal is audited as login.rejected and changes nothing else.
 */
export async function provisionFromLogin(db: Database, identity: VerifiedIdentity, context: LoginContext): Promise<LoginResult> {
  const actor: Actor = { type: 'user', id: identity.subject || null, requestId: context.requestId, ip: context.ip };
  const connection = await getConnectionById(db, identity.connectionId);
  const refuse = (tx: Tx, reason: LoginRefusalReason, detail?: string, accountId?: string) =>
    refuseLogin(tx, { reason, detail, accountId, organizationId: connection?.organizationId ?? null, identity, actor });

  if (!connection) return refuse(db, 'unknown_connection');
  if (!connection.enabled) return refuse(db, 'connection_disabled');
  const subject = identity.subject.trim();
  if (!subject) return refuse(db, 'missing_claim', 'subject');
  const attributes = mapClaims(identity.claims, connection.claimMapping, defaultMappingFor(connection.protocol));
  const missing = missingAttributes(attributes, connection.requiredAttributes);
  if (missing.length > 0) return refuse(db, 'missing_claim', missing.join(', '));
  if (attributes.emailVerified === false) return refuse(db, 'email_unverified');
  if (attributes.email && !connection.allowedDomains.includes(emailDomain(attributes.email))) {
    return refuse(db, 'domain_not_allowed', emailDomain(attributes.email));
  }

  return db.transaction(async (tx) => {
    // Serializes simultaneous first logins of one person; the unique (connection, subject) backs it.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${connection.id}:${subject}`}, 0))`);
    const found = (await getAccountByIdentity(tx, connection.id, subject)) ?? (await linkToScimAccount(tx, connection, subject, attributes, actor));
    if (found && 'conflictId' in found) return refuse(tx, 'account_conflict', `link conflict ${found.conflictId}`);
    if (found && found.account.status !== 'active') {
      return refuse(tx, statusRefusal[found.account.status], undefined, found.account.id);
    }
    let account: Account;
    let identityId: string;
    let changed: string[] = [];
    if (found) {
      ({ account, changed } = await updateAccountProfile(tx, found.account, await loginProfile(tx, found.account, attributes), actor, {
        connectionId: connection.id,
        via: 'login',
      }));
      identityId = found.identityId;
    } else {
      if (!connection.jitEnabled) return refuse(tx, 'jit_disabled');
      const createdAccount = await createFromLogin(tx, connection, subject, attributes, actor);
      if (!createdAccount) return refuse(tx, 'account_conflict', attributes.userName ?? undefined);
      ({ account, identityId } = createdAccount);
    }
    const roles = await reconcileAccountRoles(
      tx,
      { account, connection, groupNames: await groupsForRules(tx, account, attributes), isNew: !found },
      actor,
    );
    return openSession(tx, { account, identityId, connection, context, actor, created: !found, changed, roles });
  });
}

async function createFromLogin(tx: Tx, connection: ConnectionRow, subject: string, attributes: MappedAttributes, actor: Actor) {
  const userName = attributes.userName ?? subject;
  if (await getAccountIdByUserName(tx, connection.organizationId, userName)) return null;
  try {
    // A savepoint, so a concurrent insert of the same user name leaves the transaction usable.
    return await tx.transaction(async (sp) => {
      const account = await createAccount(
        sp,
        {
          organizationId: connection.organizationId,
          source: 'jit',
          profile: { ...profileFromAttributes(attributes), userName },
          action: 'account.jit_created',
          data: { connectionId: connection.id, subject },
        },
        actor,
      );
      const { id: identityId } = await insertExternalIdentity(sp, {
        organizationId: connection.organizationId,
        connectionId: connection.id,
        subject,
        accountId: account.id,
      });
      return { account, identityId };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'accounts_org_user_name_unique')) return null;
    throw error;
  }
}

function profileFromAttributes(a: MappedAttributes): ProfilePatch {
  const patch: ProfilePatch = {};
  for (const field of ['email', 'displayName', 'givenName', 'familyName', 'department', 'title', 'employeeNumber', 'manager'] as const) {
    if (a[field] !== null) patch[field] = a[field];
  }
  if (Object.keys(a.extra).length > 0) patch.extraAttributes = a.extra;
  return patch;
}

/** A first login that belongs to a SCIM-provisioned account (see lib/lifecycle/link-accounts.ts), linked. */
async function linkToScimAccount(tx: Tx, connection: ConnectionRow, subject: string, a: MappedAttributes, actor: Actor) {
  const link = await linkLoginToAccount(tx, connection, { subject, userName: a.userName, email: a.email, emailVerified: a.emailVerified }, actor);
  if (link.kind === 'conflict') return { conflictId: link.conflictId };
  return link.kind === 'linked' ? { account: link.account, identityId: link.identityId } : null;
}

/** Groups for attribute rules: a SCIM-managed account's are its SCIM groups (so login and SCIM judge alike). */
async function groupsForRules(tx: Tx, account: Account, a: MappedAttributes): Promise<string[]> {
  if (!account.scimManagedAt) return a.groups;
  return (await findGroupsOfAccounts(tx, account.organizationId, [account.id])).map((g) => g.displayName);
}

/**
 * What a repeat login writes: the claims it carries (absent claims clear nothing); the user name only
 * if still free. Fields SCIM owns (it sent them) are SCIM's: a login never overwrites them.
 */
async function loginProfile(tx: Tx, account: Account, a: MappedAttributes): Promise<ProfilePatch> {
  const patch = profileFromAttributes(a);
  for (const field of account.scimOwnedFields) delete patch[field as keyof ProfilePatch];
  if (patch.extraAttributes) patch.extraAttributes = { ...account.extraAttributes, ...patch.extraAttributes };
  if (a.userName && !account.scimOwnedFields.includes('userName') && a.userName.toLowerCase() !== account.userName.toLowerCase()) {
    const holder = await getAccountIdByUserName(tx, account.organizationId, a.userName);
    if (!holder) patch.userName = a.userName;
  }
  return patch;
}


async function openSession(
  tx: Tx,
  p: {
    account: Account;
    identityId: string;
    connection: ConnectionRow;
    context: LoginContext;
    actor: Actor;
    created: boolean;
    changed: string[];
    roles: { granted: unknown[]; revoked: unknown[] };
  },
): Promise<LoginSuccess> {
  const now = new Date();
  const { account, connection, context } = p;
  await recordAccountLogin(tx, account.organizationId, account.id, now);
  await touchExternalIdentity(tx, account.organizationId, p.identityId, now);
  const session = await insertSession(tx, {
    organizationId: account.organizationId,
    accountId: account.id,
    connectionId: connection.id,
    expiresAt: new Date(now.getTime() + context.sessionMaxAgeSeconds * 1000),
    ip: context.ip ?? null,
    userAgent: context.userAgent?.slice(0, 512) ?? null,
  });
  await recordEvent(tx, {
    organizationId: account.organizationId,
    actor: p.actor,
    action: 'login.succeeded',
    target: { type: 'account', id: account.id },
    data: { connectionId: connection.id, protocol: connection.protocol, sessionId: session.id, jitCreated: p.created },
  });
  return {
    ok: true,
    organizationId: account.organizationId,
    accountId: account.id,
    sessionId: session.id,
    sessionExpiresAt: session.expiresAt,
    created: p.created,
    changed: p.changed,
    rolesGranted: p.roles.granted.length,
    rolesRevoked: p.roles.revoked.length,
  };
}

async function refuseLogin(
  tx: Tx,
  p: { reason: LoginRefusalReason; detail?: string; accountId?: string; organizationId: string | null; identity: VerifiedIdentity; actor: Actor },
): Promise<LoginRefused> {
  await recordEvent(tx, {
    organizationId: p.organizationId,
    actor: p.actor,
    action: 'login.rejected',
    target: p.accountId ? { type: 'account', id: p.accountId } : { type: 'connection', id: p.identity.connectionId },
    data: { reason: p.reason, detail: p.detail ?? null, connectionId: p.identity.connectionId, subject: p.identity.subject || null },
  });
  return { ok: false, reason: p.reason, message: loginRefusals[p.reason], organizationId: p.organizationId, detail: p.detail };
}
