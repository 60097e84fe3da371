import type { Tx } from '@/db';
import { findBirthrightPolicyAndSettings, NO_CONNECTION, type PolicyRole, type PolicyRule } from '@/db/queries/attribute-rules';
import { findAssignments, type AssignmentRow } from '@/db/queries/role-assignments';
import { findGroupsOfAccounts } from '@/db/queries/scim-accounts';
import type { Account } from '@/db/schema';
import { planBirthrightRoles } from '@/lib/policy/evaluate-rules';
import { accountRuleAttributes, rulesSeeScimGroups, type RuleSubject } from '@/lib/policy/rule-attributes';
import type { CommandContext } from '../context';
import { changeAccess, type AccessResult } from './gate';

/** The connection whose rules and default roles apply (a sign-in's, or the SCIM token's), if any. */
export type RuleConnection = { id: string; defaultRoles: string[] } | null;
/** The rules and default roles that apply to a connection's accounts. */
export type BirthrightPolicy = { rules: PolicyRule[]; defaults: PolicyRole[] };

/** The role keys a policy names, by role id (for audit events without another query). */
export function policyRoleKeys(policy: BirthrightPolicy): Map<string, string> {
  return new Map([...policy.rules.map((r) => [r.roleId, r.roleKey] as const), ...policy.defaults.map((d) => [d.id, d.key] as const)]);
}

/** Pure: the birthright grants an account should get and lose now (a new account: current is empty). */
export function planBirthright(account: RuleSubject & { id: string }, connection: RuleConnection, policy: BirthrightPolicy, current: AssignmentRow[], scimGroups: string[]) {
  const birthright = current.filter((a) => a.source === 'birthright');
  const plan = planBirthrightRoles({
    connectionId: connection?.id ?? NO_CONNECTION,
    attributes: accountRuleAttributes(account, scimGroups),
    rules: policy.rules,
    defaultRoleIds: policy.defaults.map((r) => r.id),
    current: birthright,
  });
  const byId = new Map(birthright.map((a) => [a.id, a]));
  return {
    grants: plan.grant.map((g) => ({ accountId: account.id, roleId: g.roleId, source: 'birthright' as const, sourceRef: g.sourceRef })),
    revokes: plan.revoke.map((r) => ({ assignment: byId.get(r.id)! })),
  };
}

export async function loadBirthrightPolicy(tx: Tx, organizationId: string, connection: RuleConnection): Promise<BirthrightPolicy> {
  return (await loadBirthrightPolicyAndSettings(tx, organizationId, connection)).policy;
}

/** The policy and the organization's settings (null: no such organization) in one statement: a sign-in reads both. */
export async function loadBirthrightPolicyAndSettings(tx: Tx, organizationId: string, connection: RuleConnection): Promise<{ policy: BirthrightPolicy; settings: Record<string, unknown> | null }> {
  return findBirthrightPolicyAndSettings(tx, organizationId, connection?.id ?? NO_CONNECTION, connection?.defaultRoles ?? []);
}

/** What a re-evaluation reads: the policy, the account's assignments, and its SCIM groups when rules see them. */
export type BirthrightInputs = [BirthrightPolicy, AssignmentRow[], string[]];

/**
 * The reads of a re-evaluation, pipelined. None depends on the account's row, so a caller may start
 * them beside the account's own write (update-account.ts) and pass them to reconcileBirthrightRoles.
 */
export function readBirthrightInputs(tx: Tx, input: { account: Pick<Account, 'id' | 'organizationId' | 'fieldOwners'>; connection: RuleConnection; policy?: BirthrightPolicy; isNew?: boolean }): Promise<BirthrightInputs> {
  const { account, connection } = input;
  const org = account.organizationId;
  const scimGroups = rulesSeeScimGroups(account) && !input.isNew;
  return Promise.all([
    input.policy ?? loadBirthrightPolicy(tx, org, connection),
    input.isNew ? ([] as AssignmentRow[]) : findAssignments(tx, org, [account.id]),
    scimGroups ? findGroupsOfAccounts(tx, org, [account.id]).then((list) => list.map((g) => g.displayName)) : ([] as string[]),
  ]);
}

/**
 * Re-evaluates an account's birthright roles from what it is now (lib/policy/rule-attributes.ts),
 * through the access gate. With a connection, that connection's rules and default roles apply as
 * they do at its sign-ins; without one, the organization-wide rules. The reads are pipelined
 * (`inputs`: already started by the caller, see readBirthrightInputs).
 * `isNew`: the account was created in this transaction (it holds nothing yet).
 */
export async function reconcileBirthrightRoles(
  tx: Tx,
  input: { account: Account; connection: RuleConnection; policy?: BirthrightPolicy; isNew?: boolean; inputs?: Promise<BirthrightInputs> },
  ctx: CommandContext,
): Promise<AccessResult> {
  const { account, connection } = input;
  const org = account.organizationId;
  const [policy, current, groups] = await (input.inputs ?? readBirthrightInputs(tx, input));
  return changeAccess(tx, { organizationId: org, current, roleKeys: policyRoleKeys(policy), ...planBirthright(account, connection, policy, current, groups) }, ctx);
}
