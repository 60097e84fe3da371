import type { Database, Tx } from '@/db';
import { getSettledLinkConflict, findLoginLinkCandidates } from '@/db/queries/account-links';
import { getAccountById, getAccountIdByUserName, peekAccountByIdentity } from '@/db/queries/accounts';
import { getConnectionById, type ConnectionRow } from '@/db/queries/connections';
import { findAssignments, findRoleKeys } from '@/db/queries/role-assignments';
import { findGroupsOfAccounts } from '@/db/queries/scim-accounts';
import type { Account } from '@/db/schema';
import { loadBirthrightPolicy, planBirthright, type BirthrightPolicy } from '@/lib/lifecycle/access/birthright';
import { decideAccess } from '@/lib/lifecycle/access/gate';
import { newAccountRow } from '@/lib/lifecycle/account/create-account';
import { planAccountWrite } from '@/lib/lifecycle/account/plan-write';
import type { AccountInput } from '@/lib/model/account';
import { storableText } from '@/lib/model/storable-text';
import { rulesSeeScimGroups } from '@/lib/policy/rule-attributes';
import { capClaims } from './cap-claims';
import { loginRefusals, type LoginRefusalReason } from './login-refusal';
import { defaultMappingFor, emailDomain, mapClaims, missingAttributes, toAccountInput, unstorableAttribute, type Claims, type MappedAttributes } from './map-claims';
import type { VerifiedIdentity } from './provision-user';

export type PreviewCheck = { name: string; ok: boolean; detail?: string };
export type PreviewDecision =
  | { kind: 'create'; userName: string }
  | { kind: 'update' | 'link'; accountId: string; userName: string; changed: string[] }
  | { kind: 'refused' };
export type PreviewRefusal = { reason: LoginRefusalReason; message: string; detail?: string };
/** A test sign-in's result: plain JSON (it is kept in the audit event `connection.test_sign_in`). */
export type LoginPreview = {
  connectionId: string;
  subject: string;
  claims: Claims;
  claimsTruncated: boolean;
  mapped: Record<string, unknown> | null;
  checks: PreviewCheck[];
  refusal: PreviewRefusal | null;
  decision: PreviewDecision;
  roles: { grant: string[]; revoke: string[] };
};

const statusRefusal: Record<Exclude<Account['status'], 'active'>, LoginRefusalReason> = {
  suspended: 'account_suspended',
  deprovisioned: 'account_deprovisioned',
  pending_approval: 'account_pending_approval',
};

/** The mapped attributes as JSON (dates as ISO text). */
function mappedJson(a: MappedAttributes): Record<string, unknown> {
  const { endsAt, ...rest } = a;
  return { ...rest, ...(endsAt ? { endsAt: endsAt.toISOString() } : {}) };
}

/**
 * What a sign-in would do, without doing it: the checks, the account decision and the birthright
 * role changes of provision-user.ts, computed by the same pure planners (mapClaims, planAccountWrite,
 * newAccountRow, planBirthright, decideAccess) over the same lookups — without locks, conflict rows,
 * sessions or audit events, in a read-only transaction (Postgres refuses any write in it). The
 * identity must come from the real protocol path (signature, issuer, audience, replay checked).
 * Only a connection of `organizationId` is previewed: another organization's is unknown.
 */
export async function previewLogin(db: Database, organizationId: string, identity: VerifiedIdentity, now = new Date()): Promise<LoginPreview> {
  const { claims, truncated } = capClaims(identity.claims);
  const base = { connectionId: identity.connectionId, subject: storableText(identity.subject), claims, claimsTruncated: truncated };
  const checks: PreviewCheck[] = [];
  const end = (reason: LoginRefusalReason, detail?: string, mapped: Record<string, unknown> | null = null): LoginPreview => ({
    ...base,
    mapped,
    checks,
    refusal: { reason, message: loginRefusals[reason], ...(detail ? { detail } : {}) },
    decision: { kind: 'refused' },
    roles: { grant: [], revoke: [] },
  });
  const check = (name: string, ok: boolean, detail?: string) => void checks.push({ name, ok, ...(detail ? { detail } : {}) });

  const connection = await getConnectionById(db, identity.connectionId);
  if (!connection || connection.organizationId !== organizationId) return end('unknown_connection');
  check('Connection enabled', connection.enabled);
  if (!connection.enabled) return end('connection_disabled');
  const subject = identity.subject.trim();
  check('Subject (user identifier) sent', subject !== '');
  if (!subject) return end('missing_claim', 'subject');
  const attributes = mapClaims(identity.claims, connection.claimMapping, defaultMappingFor(connection.protocol));
  const unstorable = unstorableAttribute(subject, attributes);
  check('Values storable (no U+0000, no lone surrogate)', unstorable === null, unstorable ?? undefined);
  if (unstorable) return end('protocol_error', unstorable);
  const mapped = mappedJson(attributes);
  const missing = missingAttributes(attributes, connection.requiredAttributes);
  check('Required claims present', missing.length === 0, connection.requiredAttributes.length ? `required: ${connection.requiredAttributes.join(', ')}` : 'none required');
  if (missing.length > 0) return end('missing_claim', missing.join(', '), mapped);
  check('Email not marked unverified', attributes.emailVerified !== false);
  if (attributes.emailVerified === false) return end('email_unverified', undefined, mapped);
  const domain = attributes.email ? emailDomain(attributes.email) : null;
  const domainOk = domain === null || connection.allowedDomains.includes(domain);
  check('Email domain allowed', domainOk, domain ?? 'no email sent');
  if (!domainOk) return end('domain_not_allowed', domain ?? undefined, mapped);

  const outcome = await db.transaction((tx) => decideAccount(tx, { connection, subject, attributes, now }), { accessMode: 'read only' });
  if ('reason' in outcome) {
    check('Account decision', false, outcome.detail);
    return end(outcome.reason, outcome.detail, mapped);
  }
  check('Account decision', true);
  return { ...base, mapped, checks, refusal: null, decision: outcome.decision, roles: outcome.roles };
}

type Decide = { connection: ConnectionRow; subject: string; attributes: MappedAttributes; now: Date };
type Decided = { decision: PreviewDecision; roles: { grant: string[]; revoke: string[] } } | { reason: LoginRefusalReason; detail?: string };
const who = (now: Date) => ({ actor: { type: 'user' as const }, now });

/** The account a sign-in would land on (known, linked, created or refused) and its role changes: reads only. */
async function decideAccount(tx: Tx, p: Decide): Promise<Decided> {
  const { connection, subject, attributes } = p;
  const org = connection.organizationId;
  const input = toAccountInput(attributes);
  const [known, policy] = await Promise.all([peekAccountByIdentity(tx, org, connection.id, subject), loadBirthrightPolicy(tx, org, connection)]);
  const found = known ? { kind: 'update' as const, account: known.account } : await findLink(tx, p);
  if ('reason' in found) return found;
  if (found.kind === 'none') {
    if (!connection.jitEnabled) return { reason: 'jit_disabled' };
    const userName = attributes.userName ?? subject;
    if (await getAccountIdByUserName(tx, org, userName)) return { reason: 'account_conflict', detail: `the user name ${userName} is held by an account not linked to this identity` };
    const row = newAccountRow(org, { ...input, profile: { ...input.profile, userName } }, p.now);
    const planned = planBirthright(row, connection, policy, [], []);
    const grants = decideAccess({ organizationId: org, grants: planned.grants }, new Map(), who(p.now)).write;
    return { decision: { kind: 'create', userName }, roles: { grant: await keysOf(tx, org, policy, grants.map((g) => g.roleId)), revoke: [] } };
  }
  const { account } = found;
  if (account.status !== 'active') return { reason: statusRefusal[account.status], detail: `account ${account.userName}` };
  const write = planAccountWrite(account, await withFreeUserName(tx, account, input), 'merge');
  const after = { ...account, ...write.changes } as Account;
  const [current, groups] = await Promise.all([
    findAssignments(tx, org, [account.id]),
    rulesSeeScimGroups(after) ? findGroupsOfAccounts(tx, org, [account.id]).then((list) => list.map((g) => g.displayName)) : Promise.resolve([] as string[]),
  ]);
  const planned = planBirthright(after, connection, policy, current, groups);
  const byKey = new Map(current.map((a) => [`${a.accountId}|${a.roleId}|${a.source}|${a.sourceRef}`, a]));
  const grants = decideAccess({ organizationId: org, grants: planned.grants }, byKey, who(p.now)).write;
  const roles = {
    grant: await keysOf(tx, org, policy, grants.map((g) => g.roleId)),
    revoke: await keysOf(tx, org, policy, planned.revokes.map((r) => r.assignment.roleId)),
  };
  return { decision: { kind: found.kind, accountId: account.id, userName: after.userName, changed: write.changed }, roles };
}

/** findPersonForLogin's rule, read-only: no person lock, and an ambiguous match is reported, not recorded as a conflict. */
async function findLink(tx: Tx, p: Decide): Promise<{ kind: 'none' } | { kind: 'link'; account: Account } | { reason: LoginRefusalReason; detail?: string }> {
  const { connection, subject, attributes } = p;
  const allowed = (address: string | null) => address !== null && address.includes('@') && connection.allowedDomains.includes(emailDomain(address));
  const userName = attributes.userName && (!attributes.userName.includes('@') || allowed(attributes.userName)) ? attributes.userName : null;
  const email = attributes.emailVerified === true && allowed(attributes.email) ? attributes.email : null;
  const candidates = await findLoginLinkCandidates(tx, { organizationId: connection.organizationId, connectionId: connection.id, subject, userName, email });
  let chosen: string | null = candidates.length === 1 ? candidates[0]!.id : null;
  if (candidates.length > 1) {
    const settled = await getSettledLinkConflict(tx, connection.organizationId, 'login', `login:${connection.id}:${subject}`);
    if (settled?.status === 'dismissed') return { kind: 'none' };
    const pick = settled?.status === 'resolved' && settled.candidateAccountIds.length === 1 ? settled.candidateAccountIds[0]! : null;
    if (!pick || !candidates.some((c) => c.id === pick)) return { reason: 'account_conflict', detail: `${candidates.length} accounts could be this person: an admin has to choose (link conflicts)` };
    chosen = pick;
  }
  if (!chosen) return { kind: 'none' };
  const account = await getAccountById(tx, connection.organizationId, chosen);
  return account ? { kind: 'link', account } : { kind: 'none' };
}

/** Role keys by id: the policy's, else looked up (a revoked grant's rule may be gone). */
async function keysOf(tx: Tx, organizationId: string, policy: BirthrightPolicy, roleIds: string[]): Promise<string[]> {
  const known = new Map([...policy.rules.map((r) => [r.roleId, r.roleKey] as const), ...policy.defaults.map((d) => [d.id, d.key] as const)]);
  const unknown = roleIds.filter((id) => !known.has(id));
  const more = unknown.length ? await findRoleKeys(tx, organizationId, unknown) : new Map<string, string>();
  return [...new Set(roleIds.map((id) => known.get(id) ?? more.get(id) ?? id))].sort();
}

/** provision-user.ts's rule: a sign-in renames the account only to a user name still free. */
async function withFreeUserName(tx: Tx, account: Account, input: AccountInput): Promise<AccountInput> {
  const userName = input.profile.userName;
  if (!userName || userName.toLowerCase() === account.userName.toLowerCase()) return input;
  if (!(await getAccountIdByUserName(tx, account.organizationId, userName))) return input;
  const { userName: _taken, ...profile } = input.profile;
  return { ...input, profile };
}
