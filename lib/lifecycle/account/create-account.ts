import { randomUUID } from 'node:crypto';
import type { Tx } from '@/db';
import { insertAccount, type NewAccountRow } from '@/db/queries/accounts';
import type { AssignmentWrite } from '@/db/queries/role-assignments';
import type { Account } from '@/db/schema';
import { toAuditRow, type AuditInput } from '@/lib/audit/record-event';
import { profileFields, type AccountInput, type Door, type FieldOwners } from '@/lib/model/account';
import { planBirthright, policyRoleKeys, type BirthrightPolicy, type RuleConnection } from '../access/birthright';
import { decideAccess, grantedEvent } from '../access/gate';
import type { CommandContext } from '../context';

const sourceOf: Record<Door, Account['source']> = { jit: 'jit', scim: 'scim', admin: 'manual', hr: 'manual' };

type CreatedEvent =
  | { action: 'account.jit_created'; data: { connectionId: string; subject: string } }
  | { action: 'account.scim_created'; data: { connectionId: string | null } }
  | { action: 'account.created'; data: { connectionId?: string | null; via: Door } };

/** The new account's row: the door's input; the door owns what it sent; SCIM's `active: false` makes it suspended. */
export function newAccountRow(organizationId: string, input: AccountInput & { profile: { userName: string } }, now: Date, id = randomUUID()): NewAccountRow {
  const owners: FieldOwners = {};
  const profile = Object.fromEntries(profileFields.map((f) => [f, input.profile[f] ?? null])) as NewAccountRow & Record<string, string | null>;
  for (const field of profileFields) if (input.profile[field] != null) owners[field] = input.door;
  if (input.extraAttributes && Object.keys(input.extraAttributes).length > 0) owners.extraAttributes = input.door;
  const suspended = input.active === false;
  const scim = input.door === 'scim';
  return {
    ...profile,
    id,
    organizationId,
    status: suspended ? 'suspended' : 'active',
    source: sourceOf[input.door],
    userName: input.profile.userName,
    extraAttributes: input.extraAttributes ?? {},
    deactivatedAt: suspended ? now : null,
    externalId: input.externalId ?? null,
    scimManagedAt: scim ? now : null,
    fieldOwners: owners,
    scimAttributes: input.scimAttributes ?? {},
    scimActive: scim ? (input.active ?? null) : null,
    loginGroups: input.groups ?? [],
  };
}

/**
 * Creates an account from a door's input, with its audit event and — given the connection whose
 * birthright policy applies — its birthright roles, decided by the access gate: all in one
 * statement. Null (and nothing written) when the user name is already taken in the organization.
 */
export async function createAccount(
  tx: Tx,
  args: {
    organizationId: string;
    input: AccountInput & { profile: { userName: string } };
    event: CreatedEvent;
    birthright?: { connection: RuleConnection; policy: BirthrightPolicy };
  },
  ctx: CommandContext,
): Promise<{ account: Account; granted: AssignmentWrite[] } | null> {
  const row = newAccountRow(args.organizationId, args.input, ctx.now);
  const created: AuditInput = { organizationId: args.organizationId, actor: ctx.actor, target: { type: 'account', id: row.id }, after: createdAfter(args.input, row), ...args.event };
  const events: AuditInput[] = [created];
  let grants: AssignmentWrite[] = [];
  if (args.birthright) {
    const { connection, policy } = args.birthright;
    const planned = planBirthright(row, connection, policy, [], []);
    grants = decideAccess({ organizationId: args.organizationId, grants: planned.grants }, new Map(), ctx).write;
    const keys = policyRoleKeys(policy);
    events.push(...grants.map((g) => grantedEvent(args.organizationId, g, keys, null, ctx)));
  }
  const account = await insertAccount(tx, row, { grants, events: events.map(toAuditRow) });
  return account && { account, granted: grants };
}

function createdAfter(input: AccountInput, row: NewAccountRow): Record<string, unknown> {
  const sent = Object.fromEntries(profileFields.filter((f) => input.profile[f] != null).map((f) => [f, input.profile[f]]));
  const after: Record<string, unknown> = { ...sent, userName: row.userName, status: row.status, source: row.source };
  if (input.externalId != null) after.externalId = input.externalId;
  if (input.extraAttributes && Object.keys(input.extraAttributes).length > 0) after.extraAttributes = input.extraAttributes;
  if (input.groups?.length) after.groups = input.groups;
  return after;
}
