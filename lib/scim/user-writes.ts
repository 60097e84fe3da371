import type { Tx } from '@/db';
import { findGroupsOfAccounts, getScimAccount } from '@/db/queries/scim-accounts';
import type { Account } from '@/db/schema';
import { loadBirthrightPolicy, type BirthrightPolicy } from '@/lib/lifecycle/access/birthright';
import { createAccount, createAccountUnlessMatched } from '@/lib/lifecycle/account/create-account';
import { deprovisionAccount } from '@/lib/lifecycle/account/deprovision-account';
import { updateAccount } from '@/lib/lifecycle/account/update-account';
import { inTransaction, type CommandContext } from '@/lib/lifecycle/context';
import { findPersonForPush } from '@/lib/lifecycle/identity/find-person';
import type { ScimContext, ScimResponse } from './context';
import { normalizeUserPatch } from './normalize-patch';
import { checkIfMatch } from './preconditions';
import { applyPatch, parseUser, userDefinition } from './schemas';
import { badRequest, notFound, ScimError } from './scim-error';
import { respond } from './context';
import { toScimAccountInput, toScimUser, type ScimAccountInput } from './user-resource';
import { userResponse } from './users';

const taken = (userName: string) => new ScimError(409, 'uniqueness', `A user with userName '${userName}' already exists.`);
const conflicted = (conflictId: string) =>
  new ScimError(409, 'uniqueness', `More than one existing account matches this user; an administrator must resolve link conflict ${conflictId}.`);

const unitOf = <T>(ctx: ScimContext, work: (tx: Tx, command: CommandContext) => Promise<T>) => inTransaction(ctx.db, { actor: ctx.actor }, work);

/**
 * POST /Users: a joiner, or an account the organization already has (made by a sign-in) adopted by
 * the rule in lib/lifecycle/identity/find-person.ts — one path, under the person lock: find who the
 * push could be, then create, adopt, or refuse (taken, or an ambiguous match held for an admin).
 * The commonest push — nobody could be this person — is created in one round trip (the rule's
 * candidate statement guards the insert under the lock: createAccountUnlessMatched); anything
 * else is decided in a unit of work by the same rule.
 */
export async function createUser(ctx: ScimContext): Promise<ScimResponse> {
  // With a remembered principal, a bad body is answered only once the token is known good (handle-request.ts).
  const input = toScimAccountInput(parseUser(ctx.json()));
  const userName = input.profile.userName ?? '';
  const { organizationId, connection, guard } = ctx.principal;
  const claim = { door: 'scim' as const, organizationId, connection, userName, email: input.profile.email ?? null, externalId: input.externalId ?? null };
  const args = { organizationId, input: { ...input, profile: { ...input.profile, userName } }, event: scimCreated(ctx), birthright: { connection, policy: await policyOf(ctx) } };
  if (guard) {
    const joiner = await createAccountUnlessMatched(ctx.db, { ...args, claim, guard }, { actor: ctx.actor, now: new Date() });
    if (joiner) return userResponse(ctx, joiner, 201, []);
  }
  // Someone could be this person, or the token or its policy changed: authenticate in full (401 if revoked), then the rule decides.
  if (ctx.verify) ctx = { ...ctx, principal: await ctx.verify(), verify: null };
  const fresh = { ...args, birthright: { connection: ctx.principal.connection, policy: await policyOf(ctx) } };
  type Outcome = { kind: 'conflict'; conflictId: string } | { kind: 'created' | 'adopted'; account: Account };
  const outcome = await unitOf(ctx, async (tx, command): Promise<Outcome> => {
    const person = await findPersonForPush(tx, claim, command);
    if (person.kind === 'taken') throw taken(userName);
    if (person.kind === 'conflict') return { kind: 'conflict', conflictId: person.conflictId };
    if (person.kind === 'none') {
      // Taken only by an account the rule cannot see (a deprovisioned one keeps its user name).
      const created = await createAccount(tx, fresh, command);
      if (!created) throw taken(userName);
      return { kind: 'created', account: created.account };
    }
    const existing = await getScimAccount(tx, organizationId, person.accountId, { forUpdate: true });
    if (!existing || existing.scimManagedAt) throw taken(userName);
    return { kind: 'adopted', account: await writeUser(tx, ctx, existing, input, 'replace', command) };
  });
  if (outcome.kind === 'conflict') throw conflicted(outcome.conflictId);
  // A new account has no groups yet; an adopted one may.
  return userResponse(ctx, outcome.account, 201, outcome.kind === 'created' ? [] : undefined);
}


const scimCreated = (ctx: ScimContext) => ({ action: 'account.scim_created' as const, data: { connectionId: ctx.principal.connection?.id ?? null } });
/** The token's birthright policy: read with the token for a create (authenticate.ts), else now. */
const policyOf = async (ctx: ScimContext): Promise<BirthrightPolicy> =>
  ctx.principal.policy ?? loadBirthrightPolicy(ctx.db, ctx.principal.organizationId, ctx.principal.connection);

/**
 * What SCIM sent, applied to a locked account; birthright roles follow at once when attributes
 * changed, by `policy` (default: the principal's, when it came with the request; else read here).
 */
function writeUser(tx: Tx, ctx: ScimContext, account: Account, input: ScimAccountInput, mode: 'replace' | 'merge', command: CommandContext, policy = ctx.principal.policy) {
  const { connection } = ctx.principal;
  const birthright = { connection, policy: policy ?? undefined };
  return updateAccount(tx, { account, input, mode, connectionId: connection?.id ?? null, birthright }, command).then((r) => r.account);
}

/** What a guarded read that found nothing gives back (then authenticate in full and run again). */
const MISSING = Symbol('missing');

/**
 * A unit of work on one user, its row locked (FOR UPDATE), so concurrent writes to it serialize.
 *
 * With a principal remembered from an earlier request (ctx.verify set; authenticate.ts), the token
 * is not looked up first: the locked read returns the row only while the token still grants what
 * it was remembered with, its birthright policy included (scimTokenStillGrants), so that policy
 * (`policy`) serves the write. If the read finds nothing, the request is authenticated in full (401
 * if the token was revoked) and run again as any other, whose write reads the policy in its own
 * transaction (`policy` null). A refusal (a body that is not JSON, say) is answered only once the
 * token is known good (handle-request.ts). `alongside`: a read sent in the same round trip.
 */
async function onLockedUser<T, A = undefined>(
  ctx: ScimContext,
  id: string,
  work: (unit: { tx: Tx; command: CommandContext; ctx: ScimContext; current: Account; alongside: A; policy: BirthrightPolicy | null }) => Promise<T>,
  alongside: (tx: Tx, organizationId: string) => Promise<A> = async () => undefined as A,
): Promise<T> {
  const attempt = (c: ScimContext, guarded: boolean) =>
    unitOf(c, async (tx, command): Promise<T | typeof MISSING> => {
      const organizationId = c.principal.organizationId;
      const read = getScimAccount(tx, organizationId, id, { forUpdate: true, guard: guarded ? c.principal.guard : null });
      const [current, also] = await Promise.all([read, alongside(tx, organizationId)]);
      if (!current) {
        if (guarded) return MISSING;
        throw notFound(`User ${id}`);
      }
      return work({ tx, command, ctx: c, current, alongside: also, policy: guarded ? c.principal.policy : null });
    });
  if (ctx.verify) {
    const done = await attempt(ctx, true);
    if (done !== MISSING) return done;
    ctx = { ...ctx, principal: await ctx.verify(), verify: null };
  }
  return (await attempt(ctx, false)) as T;
}

/** PUT /Users/{id}: full replace of what SCIM owns; `active` and `externalId` change only when sent. */
export async function replaceUser(ctx: ScimContext, id: string): Promise<ScimResponse> {
  const input = toScimAccountInput(parseUser(ctx.json()));
  const account = await onLockedUser(ctx, id, ({ tx, command, ctx: c, current, policy }) => {
    checkIfMatch(c, current.version);
    return writeUser(tx, c, current, input, 'replace', command, policy);
  });
  return userResponse(ctx, account);
}

/**
 * PATCH /Users/{id}: the operations (normalized for Entra/Okta) are applied by scimmy to the
 * current resource, and the result is written. A PATCH that does not name `active` leaves the
 * status alone.
 */
export async function patchUser(ctx: ScimContext, id: string): Promise<ScimResponse> {
  const raw = ctx.json();
  // One round trip: the row (locked) and its groups (none if the id is not a visible user).
  // A PATCH cannot change a user's groups (readOnly), so they also serve the response.
  const groupsOf = (tx: Tx, organizationId: string) => findGroupsOfAccounts(tx, organizationId, [id]);
  const { account, groups } = await onLockedUser(
    ctx,
    id,
    async ({ tx, command, ctx: c, current, alongside: groups, policy }) => {
      checkIfMatch(c, current.version);
      const resource = toScimUser(current, groups, c.baseUrl);
      const operations = normalizeUserPatch(userDefinition, raw, resource);
      const names = (path: string) => operations.some((o) => o.path === path);
      // A no-op on the resource may still be news: `active: false` for an account Roster already
      // shows inactive (suspended for dormancy, or held) is the IdP's word, kept in scim_active.
      const patched = (await applyPatch('User', resource, operations)) ?? (names('active') && resource.active !== current.scimActive ? resource : null);
      if (!patched) return { account: current, groups };
      const input = toScimAccountInput(patched, { complete: true });
      if (!input.profile.userName) throw badRequest('invalidValue', 'userName must not be empty');
      if (!names('active')) input.active = undefined;
      return { account: await writeUser(tx, c, current, input, 'merge', command, policy), groups };
    },
    groupsOf,
  );
  return userResponse(ctx, account, 200, groups);
}

/** DELETE: deprovisioned (record kept, sessions revoked, roles and groups gone); 404 from SCIM afterwards. */
export async function deleteUser(ctx: ScimContext, id: string): Promise<ScimResponse> {
  await onLockedUser(ctx, id, async ({ tx, command, ctx: c, current }) => {
    checkIfMatch(c, current.version);
    await deprovisionAccount(tx, { organizationId: current.organizationId, accountId: current.id, reason: 'scim: DELETE', locked: current }, command);
  });
  return respond(204, null);
}
