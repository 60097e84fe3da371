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

/** PUT /Users/{id}: full replace of what SCIM owns; `active` and `externalId` change only when sent. */
export async function replaceUser(ctx: ScimContext, id: string): Promise<ScimResponse> {
  const input = toScimAccountInput(parseUser(ctx.json()));
  const account = await unitOf(ctx, async (tx, command) => {
    const current = await getScimAccount(tx, ctx.principal.organizationId, id, { forUpdate: true });
    if (!current) throw notFound(`User ${id}`);
    checkIfMatch(ctx, current.version);
    return writeUser(tx, ctx, current, input, 'replace', command);
  });
  return userResponse(ctx, account);
}

/**
 * PATCH /Users/{id}: the row is locked, the operations (normalized for Entra/Okta) are applied by
 * scimmy to the current resource, and the result is written — concurrent PATCHes serialize on the
 * lock, so none is lost. A PATCH that does not name `active` leaves the status alone.
 *
 * With a principal remembered from an earlier request (ctx.verify set; authenticate.ts), the token
 * is not looked up first: the locked read returns the row only while the token still grants what
 * it was remembered with, its birthright policy included (scimTokenStillGrants), so that policy
 * serves the write. If the read finds nothing, the request is authenticated in full (401 if the
 * token was revoked) and run again as any other. A refusal (a body that is not JSON, say) is answered
 * only once the token is known good (handle-request.ts).
 */
export async function patchUser(ctx: ScimContext, id: string): Promise<ScimResponse> {
  if (ctx.verify) {
    const done = await patchOnce(ctx, id, true);
    if (done) return done;
    ctx = { ...ctx, principal: await ctx.verify(), verify: null };
  }
  return (await patchOnce(ctx, id, false))!;
}

/** One PATCH; `guarded`: through the remembered principal (null when the read found nothing). */
async function patchOnce(ctx: ScimContext, id: string, guarded: boolean): Promise<ScimResponse | null> {
  const raw = ctx.json();
  const organizationId = ctx.principal.organizationId;
  const outcome = await unitOf(ctx, async (tx, command) => {
    // One round trip: the row (locked) and its groups (none if the id is not a visible user).
    // A PATCH cannot change a user's groups (readOnly), so they also serve the response.
    const read = getScimAccount(tx, organizationId, id, { forUpdate: true, guard: guarded ? ctx.principal.guard : null });
    const [current, groups] = await Promise.all([read, findGroupsOfAccounts(tx, organizationId, [id])]);
    if (!current) {
      if (guarded) return null;
      throw notFound(`User ${id}`);
    }
    checkIfMatch(ctx, current.version);
    const resource = toScimUser(current, groups, ctx.baseUrl);
    const operations = normalizeUserPatch(userDefinition, raw, resource);
    const names = (path: string) => operations.some((o) => o.path === path);
    // A no-op on the resource may still be news: `active: false` for an account Roster already
    // shows inactive (suspended for dormancy, or held) is the IdP's word, kept in scim_active.
    const patched = (await applyPatch('User', resource, operations)) ?? (names('active') && resource.active !== current.scimActive ? resource : null);
    if (!patched) return { account: current, groups };
    const input = toScimAccountInput(patched, { complete: true });
    if (!input.profile.userName) throw badRequest('invalidValue', 'userName must not be empty');
    if (!names('active')) input.active = undefined;
    // The remembered policy was re-checked by the read above; without a guard it is read in this transaction.
    const policy = guarded ? ctx.principal.policy : null;
    return { account: await writeUser(tx, ctx, current, input, 'merge', command, policy), groups };
  });
  return outcome && userResponse(ctx, outcome.account, 200, outcome.groups);
}

/** DELETE: deprovisioned (record kept, sessions revoked, roles and groups gone); 404 from SCIM afterwards. */
export async function deleteUser(ctx: ScimContext, id: string): Promise<ScimResponse> {
  await unitOf(ctx, async (tx, command) => {
    const account = await getScimAccount(tx, ctx.principal.organizationId, id, { forUpdate: true });
    if (!account) throw notFound(`User ${id}`);
    checkIfMatch(ctx, account.version);
    await deprovisionAccount(tx, { organizationId: account.organizationId, accountId: account.id, reason: 'scim: DELETE', locked: account }, command);
  });
  return respond(204, null);
}
