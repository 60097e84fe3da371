import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '@/db';
import { insertAccount, insertAccountUnlessMatched, type NewAccountRow, type ScimWriteGuard } from '@/db/queries/accounts';
import { lockIds } from '@/db/queries/person-locks';
import type { AssignmentWrite } from '@/db/queries/role-assignments';
import type { Account } from '@/db/schema';
import { toAuditRow, type Actor, type AuditInput } from '@/lib/audit/record-event';
import { profileFields, type AccountInput, type Door, type FieldOwners } from '@/lib/model/account';
import { planBirthright, policyRoleKeys, type BirthrightPolicy, type RuleConnection } from '../access/birthright';
import { decideAccess, grantedEvent } from '../access/gate';
import type { CommandContext } from '../context';
import { personKeys, pushMatchOf, type PushClaim } from '../identity/find-person';

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
  if (input.endsAt) owners.endsAt = input.door;
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
    endsAt: input.endsAt ?? null,
  };
}

/**
 * Creates an account from a door's input, with its audit event and — given the connection whose
 * birthright policy applies — its birthright roles, decided by the access gate: all in one
 * statement. Null (and nothing written) when the user name is already taken in the organization.
 */
export async function createAccount(tx: Tx, args: CreateArgs, ctx: CommandContext): Promise<{ account: Account; granted: AssignmentWrite[] } | null> {
  const plan = planNewAccount(args, ctx);
  const account = await insertAccount(tx, plan.row, { grants: plan.grants, events: plan.events.map(toAuditRow) });
  return account && { account, granted: plan.grants };
}

/**
 * A SCIM joiner's create when nobody could be this person (the common push): in one statement
 * (db/queries/locked-statement.ts), the person lock, then the account with its birthright roles
 * and audit events — only if the rule of identity/find-person.ts finds no account the push could
 * be, seen under the lock, and only while the SCIM token and its birthright policy are still what
 * the plan was made with (`guard`). Null: nothing written; the caller authenticates again and
 * decides by the rule (findPersonForPush) in a unit of work.
 * Runs on the pool: it is its own transaction. Same plan, same rows, same events as createAccount.
 */
export async function createAccountUnlessMatched(
  db: Database,
  args: CreateArgs & { claim: PushClaim; guard: ScimWriteGuard },
  who: { actor: Actor; now: Date },
): Promise<Account | null> {
  const plan = planNewAccount(args, who);
  const initial = { grants: plan.grants, events: plan.events.map(toAuditRow) };
  return insertAccountUnlessMatched(db, lockIds(personKeys(args.claim)), pushMatchOf(args.claim), args.guard, plan.row, initial);
}

type CreateArgs = {
  organizationId: string;
  input: AccountInput & { profile: { userName: string } };
  event: CreatedEvent;
  birthright?: { connection: RuleConnection; policy: BirthrightPolicy };
};

/** Pure: the new account's row, the birthright grants the access gate decides for it, and the audit events of both. */
function planNewAccount(args: CreateArgs, who: { actor: Actor; now: Date }) {
  const row = newAccountRow(args.organizationId, args.input, who.now);
  const created: AuditInput = { organizationId: args.organizationId, actor: who.actor, target: { type: 'account', id: row.id }, after: createdAfter(args.input, row), ...args.event };
  const events: AuditInput[] = [created];
  let grants: AssignmentWrite[] = [];
  if (args.birthright) {
    const { connection, policy } = args.birthright;
    const planned = planBirthright(row, connection, policy, [], []);
    grants = decideAccess({ organizationId: args.organizationId, grants: planned.grants }, new Map(), who).write;
    const keys = policyRoleKeys(policy);
    events.push(...grants.map((g) => grantedEvent(args.organizationId, g, keys, null, who)));
  }
  return { row, grants, events };
}

function createdAfter(input: AccountInput, row: NewAccountRow): Record<string, unknown> {
  const sent = Object.fromEntries(profileFields.filter((f) => input.profile[f] != null).map((f) => [f, input.profile[f]]));
  const after: Record<string, unknown> = { ...sent, userName: row.userName, status: row.status, source: row.source };
  if (input.externalId != null) after.externalId = input.externalId;
  if (input.extraAttributes && Object.keys(input.extraAttributes).length > 0) after.extraAttributes = input.extraAttributes;
  if (input.groups?.length) after.groups = input.groups;
  return after;
}
