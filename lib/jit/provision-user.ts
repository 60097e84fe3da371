import type { Database, Tx } from '@/db';
import { getAccountByIdentity, getAccountById, getAccountIdByUserName } from '@/db/queries/accounts';
import { getConnectionById, type ConnectionRow } from '@/db/queries/connections';
import type { Account } from '@/db/schema';
import type { Actor } from '@/lib/audit/record-event';
import { sessionMaxAgeFor } from '@/lib/governance/organization-settings';
import { loadBirthrightPolicyAndSettings, reconcileBirthrightRoles } from '@/lib/lifecycle/access/birthright';
import { createAccount } from '@/lib/lifecycle/account/create-account';
import { updateAccount } from '@/lib/lifecycle/account/update-account';
import { inTransaction, type CommandContext } from '@/lib/lifecycle/context';
import { findPersonForLogin } from '@/lib/lifecycle/identity/find-person';
import { linkIdentity } from '@/lib/lifecycle/identity/link-identity';
import { recordLoginRefusal } from '@/lib/lifecycle/login/record-refusal';
import { openSession } from '@/lib/lifecycle/session/open-session';
import type { AccountInput } from '@/lib/model/account';
import { storableText } from '@/lib/model/storable-text';
import { loginRefusals, type LoginRefusalReason } from './login-refusal';
import { defaultMappingFor, emailDomain, mapClaims, missingAttributes, toAccountInput, unstorableAttribute, type Claims, type MappedAttributes } from './map-claims';

/** A verified, protocol-neutral identity: what OIDC and SAML adapters hand over after validation. */
export type VerifiedIdentity = { connectionId: string; subject: string; claims: Claims };
export type LoginContext = { ip?: string | null; userAgent?: string | null; requestId?: string | null; sessionMaxAgeSeconds: number; now?: Date };

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

type Refuse = (reason: LoginRefusalReason, detail?: string, accountId?: string) => LoginRefused;

/**
 * The JIT door: one sign-in, one unit of work of lifecycle commands. The account is found by
 * (connection, subject), else — under the person lock — linked to the account the directory
 * provisioned for this person, else created from the mapped claims; its attributes (those the
 * sign-in may own) and birthright roles follow; a session opens. Every refusal is audited as
 * login.rejected in the connection's organization and changes nothing else.
 */
export async function provisionFromLogin(db: Database, identity: VerifiedIdentity, context: LoginContext): Promise<LoginResult> {
  // The subject as recorded (an audit event's actor and a refusal's subject): storable, even when the sign-in is refused for it.
  const recordedSubject = storableText(identity.subject);
  const actor: Actor = { type: 'user', id: recordedSubject || null, requestId: context.requestId, ip: context.ip };
  const who = { actor, now: context.now ?? new Date() };
  const connection = await getConnectionById(db, identity.connectionId);
  const refuser = (ctx: CommandContext, tx: Tx): Refuse => (reason, detail, accountId) => {
    const protocol = connection?.protocol ?? null;
    recordLoginRefusal(tx, { organizationId: connection?.organizationId ?? null, reason, detail, connectionId: identity.connectionId, protocol, subject: recordedSubject, accountId }, ctx);
    return { ok: false, reason, message: loginRefusals[reason], organizationId: connection?.organizationId ?? null, detail };
  };
  const early = (reason: LoginRefusalReason, detail?: string) => inTransaction(db, who, async (tx, ctx) => refuser(ctx, tx)(reason, detail));

  if (!connection) return early('unknown_connection');
  if (!connection.enabled) return early('connection_disabled');
  const subject = identity.subject.trim();
  if (!subject) return early('missing_claim', 'subject');
  const attributes = mapClaims(identity.claims, connection.claimMapping, defaultMappingFor(connection.protocol));
  const unstorable = unstorableAttribute(subject, attributes);
  if (unstorable) return early('protocol_error', unstorable);
  const missing = missingAttributes(attributes, connection.requiredAttributes);
  if (missing.length > 0) return early('missing_claim', missing.join(', '));
  if (attributes.emailVerified === false) return early('email_unverified');
  if (attributes.email && !connection.allowedDomains.includes(emailDomain(attributes.email))) return early('domain_not_allowed', emailDomain(attributes.email));

  return inTransaction(db, who, (tx, ctx) => signIn(tx, { connection, subject, attributes, request: context }, ctx, refuser(ctx, tx)));
}

type SignIn = { connection: ConnectionRow; subject: string; attributes: MappedAttributes; request: LoginContext };

async function signIn(tx: Tx, p: SignIn, ctx: CommandContext, refuse: Refuse): Promise<LoginResult> {
  const { connection, subject, attributes } = p;
  const input = toAccountInput(attributes);
  // A known identity needs no person lock: (connection, subject) is unique and its account row is locked.
  const [known, { policy, settings: orgSettings }] = await Promise.all([
    getAccountByIdentity(tx, connection.id, subject),
    loadBirthrightPolicyAndSettings(tx, connection.organizationId, connection),
  ]);
  const found = known ? { kind: 'known' as const, ...known } : await linkOrNothing(tx, p, ctx);
  if (found.kind === 'conflict') return refuse('account_conflict', `link conflict ${found.conflictId}`);
  if (found.kind === 'known' && found.account.status !== 'active') return refuse(statusRefusal[found.account.status], undefined, found.account.id);

  let account: Account;
  let identityId: string;
  let changed: string[] = [];
  let grantedWithAccount = 0;
  if (found.kind === 'known') {
    ({ account, changed } = await updateAccount(tx, { account: found.account, input: await withFreeUserName(tx, found.account, input), mode: 'merge', connectionId: connection.id }, ctx));
    identityId = found.identityId;
  } else {
    if (!connection.jitEnabled) return refuse('jit_disabled');
    const userName = attributes.userName ?? subject;
    const created = await createAccount(
      tx,
      {
        organizationId: connection.organizationId,
        input: { ...input, profile: { ...input.profile, userName } },
        event: { action: 'account.jit_created', data: { connectionId: connection.id, subject } },
        birthright: { connection, policy },
      },
      ctx,
    );
    if (!created) return refuse('account_conflict', userName);
    account = created.account;
    grantedWithAccount = created.granted.length;
    ({ identityId } = await linkIdentity(tx, { organizationId: account.organizationId, accountId: account.id, connectionId: connection.id, subject, via: 'jit_create' }, ctx));
  }
  const isNew = found.kind === 'none';
  if (attributes.endsAtRefused) {
    ctx.record({ organizationId: account.organizationId, actor: ctx.actor, action: 'account.end_date_ignored', target: { type: 'account', id: account.id }, data: { via: 'jit', ...attributes.endsAtRefused } });
  }
  // A new account got its birthright roles with it; a known one is re-evaluated at every sign-in.
  const roles = isNew ? { granted: [], revoked: [] } : await reconcileBirthrightRoles(tx, { account, connection, policy }, ctx);
  // The organization's session lifetime, when shorter than the deployment's, wins.
  const maxAgeSeconds = sessionMaxAgeFor(orgSettings, p.request.sessionMaxAgeSeconds);
  const session = await openSession(tx, { account, identityId, connection, request: { ip: p.request.ip, userAgent: p.request.userAgent, maxAgeSeconds }, jitCreated: isNew }, ctx);
  return {
    ok: true,
    organizationId: account.organizationId,
    accountId: account.id,
    sessionId: session.sessionId,
    sessionExpiresAt: session.expiresAt,
    created: isNew,
    changed,
    rolesGranted: grantedWithAccount + roles.granted.length,
    rolesRevoked: roles.revoked.length,
  };
}

/**
 * A first sign-in of (connection, subject): under the person lock, the identity (made meanwhile by a
 * simultaneous sign-in), or the directory-provisioned account it belongs to — linked — or nothing.
 */
async function linkOrNothing(tx: Tx, p: SignIn, ctx: CommandContext) {
  const { connection, subject, attributes } = p;
  const person = await findPersonForLogin(
    tx,
    { door: 'jit', connection, subject, userName: attributes.userName, email: attributes.email, emailVerified: attributes.emailVerified },
    ctx,
  );
  if (person.kind !== 'link') return person.kind === 'taken' ? ({ kind: 'none' } as const) : person;
  const account = await getAccountById(tx, connection.organizationId, person.accountId, { forUpdate: true });
  if (!account) return { kind: 'none' } as const;
  if (account.status !== 'active') return { kind: 'known' as const, account, identityId: '' };
  const { identityId } = await linkIdentity(tx, { organizationId: account.organizationId, accountId: account.id, connectionId: connection.id, subject, via: 'scim_match' }, ctx);
  return { kind: 'known' as const, account, identityId };
}

/** A sign-in renames the account only to a user name still free in the organization. */
async function withFreeUserName(tx: Tx, account: Account, input: AccountInput): Promise<AccountInput> {
  const userName = input.profile.userName;
  if (!userName || userName.toLowerCase() === account.userName.toLowerCase()) return input;
  if (!(await getAccountIdByUserName(tx, account.organizationId, userName))) return input;
  const { userName: _taken, ...profile } = input.profile;
  return { ...input, profile };
}
