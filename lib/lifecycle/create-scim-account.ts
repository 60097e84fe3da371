import { randomUUID } from 'node:crypto';
import type { Tx } from '@/db';
import { insertAccount } from '@/db/queries/accounts';
import { NO_CONNECTION } from '@/db/queries/attribute-rules';
import { insertScimJoiner, type JoinerAccount, type JoinerGuard } from '@/db/queries/scim-joiner';
import type { ScimUserRow } from '@/db/queries/scim-accounts';
import type { Account } from '@/db/schema';
import { toAuditRow, type Actor, type AuditInput } from '@/lib/audit/record-event';
import { planBirthrightRoles } from '@/lib/policy/evaluate-rules';
import { reconcileAccountRoles, roleEvent, type BirthrightPolicy } from './reconcile-account-roles';
import { accountRuleAttributes } from './rule-attributes';
import type { ScimAccountInput } from './scim-account-input';

/** Where a SCIM write lands: the token's organization, and its connection (domains, default roles) if tied to one. */
export type ScimScope = { organizationId: string; connection: { id: string; allowedDomains: string[]; defaultRoles: string[] } | null };

/** The new account's columns: source scim, no identity yet, SCIM owns the fields it sent. */
function joinerRow(scope: ScimScope, input: ScimAccountInput, id: string): JoinerAccount {
  const now = new Date();
  const suspended = input.active === false;
  return {
    ...input.profile,
    id,
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
  };
}

function createdEvent(scope: ScimScope, input: ScimAccountInput, account: { id: string; status: string }, actor: Actor): AuditInput {
  return {
    organizationId: scope.organizationId,
    actor,
    action: 'account.scim_created',
    target: { type: 'account', id: account.id },
    after: { ...input.profile, externalId: input.externalId, status: account.status, source: 'scim' },
    data: { connectionId: scope.connection?.id ?? null },
  };
}

/**
 * Joiner: the IdP pushed a new person. The account exists before any login (source scim, no
 * identity yet); SCIM owns the fields it sent; birthright roles follow the same rules as JIT.
 * `policy`: the connection's birthright policy, if the caller loaded it already (loadBirthrightPolicy).
 */
export async function createScimAccount(tx: Tx, scope: ScimScope, input: ScimAccountInput, actor: Actor, policy?: BirthrightPolicy): Promise<Account> {
  const account = await insertAccount(tx, joinerRow(scope, input, randomUUID()));
  // The creation event is written with the birthright grants' events, in one statement.
  const events = [createdEvent(scope, input, account, actor)];
  await reconcileAccountRoles(tx, { account, connection: scope.connection, groupNames: [], isNew: true, policy, events }, actor);
  return account;
}

/**
 * The common joiner in one statement (db/queries/scim-joiner.ts): the account, the birthright roles
 * planned here exactly as reconcileAccountRoles plans them for a new account, and the same audit
 * events — or nothing, and null, when any existing account could be the same person (the caller
 * then runs matchScimPush and createScimAccount in a transaction). Runs on the pool, not in a
 * transaction: the statement is its own. `guard`: planned with a remembered principal, whose token
 * and policy the statement checks again (lib/scim/authenticate.ts).
 */
export async function createScimJoiner(
  db: Tx,
  scope: ScimScope,
  input: ScimAccountInput,
  actor: Actor,
  policy: BirthrightPolicy,
  guard: JoinerGuard | null = null,
): Promise<ScimUserRow | null> {
  const row = joinerRow(scope, input, randomUUID());
  const connectionId = scope.connection?.id ?? NO_CONNECTION;
  const plan = planBirthrightRoles({
    connectionId,
    attributes: accountRuleAttributes({ ...emptyProfile, ...row }, []),
    rules: policy.rules,
    defaultRoleIds: policy.defaults.map((r) => r.id),
    current: [],
  });
  const events = [createdEvent(scope, input, { id: row.id, status: row.status! }, actor), ...plan.grant.map((g) => roleEvent(scope.organizationId, row.id, actor, 'role.granted', g))];
  return insertScimJoiner(db, {
    account: row,
    matchEmail: input.profile.email ?? null,
    connectionId: scope.connection?.id ?? null,
    grants: plan.grant,
    events: events.map(toAuditRow),
    guard,
  });
}

const emptyProfile = { email: null, displayName: null, givenName: null, familyName: null, department: null, title: null, employeeNumber: null, manager: null };
