import { findGroupsOfAccounts, getScimAccount } from '@/db/queries/scim-accounts';
import type { JoinerGuard } from '@/db/queries/scim-joiner';
import { isUniqueViolation } from '@/lib/errors';
import { createScimAccount, createScimJoiner, type ScimScope } from '@/lib/lifecycle/create-scim-account';
import { matchScimPush } from '@/lib/lifecycle/link-accounts';
import { loadBirthrightPolicy, type BirthrightPolicy } from '@/lib/lifecycle/reconcile-account-roles';
import type { ScimAccountInput } from '@/lib/lifecycle/scim-account-input';
import { updateScimAccount } from '@/lib/lifecycle/update-scim-account';
import type { ScimContext, ScimResponse } from './context';
import { normalizeUserPatch } from './normalize-patch';
import { checkIfMatch } from './preconditions';
import { applyPatch, parseUser, renderUser, userDefinition } from './schemas';
import { badRequest, notFound, ScimError } from './scim-error';
import { toScimAccountInput, toScimUser } from './user-resource';
import { userResponse } from './users';

const taken = (userName: string) => new ScimError(409, 'uniqueness', `A user with userName '${userName}' already exists.`);
const scopeOf = (ctx: ScimContext): ScimScope => ({ organizationId: ctx.principal.organizationId, connection: ctx.principal.connection });

/**
 * POST /Users: a joiner, or an account the organization already has (JIT-created) adopted by the
 * rule in lib/lifecycle/link-accounts.ts. Ambiguous matches are recorded for an admin and refused.
 *
 * Most pushes are plain joiners: they are written in one statement that inserts only when no
 * existing account could be the same person (createScimJoiner). Anything else — a possible match,
 * or a user name created meanwhile — is decided in a transaction by matchScimPush.
 */
export async function createUser(ctx: ScimContext): Promise<ScimResponse> {
  const input = await readUserInput(ctx);
  if (ctx.unverified) {
    const joiner = await insertJoiner(ctx, input, ctx.unverified.policy, ctx.unverified.guard);
    if (joiner) return userResponse(ctx, joiner, 201, []);
    // A possible match, a changed policy, or a token no longer good: authenticate in full (401 if revoked).
    ctx = { ...ctx, principal: await ctx.unverified.verify(), unverified: null };
  }
  const userName = input.profile.userName!;
  const scope = scopeOf(ctx);
  const policy = ctx.principal.policy ?? (await loadBirthrightPolicy(ctx.db, scope.organizationId, scope.connection));
  const joiner = await insertJoiner(ctx, input, policy, null);
  if (joiner) return userResponse(ctx, joiner, 201, []);
  const outcome = await ctx.db.transaction(async (tx) => {
    const decision = await matchScimPush(tx, scope, { userName, email: input.profile.email ?? null, externalId: input.externalId }, ctx.actor);
    if (decision.kind === 'taken') throw taken(userName);
    if (decision.kind === 'conflict') return { conflictId: decision.conflictId };
    if (decision.kind === 'none') return { account: await createScimAccount(tx, scope, input, ctx.actor, policy), groups: [] };
    const existing = await getScimAccount(tx, scope.organizationId, decision.accountId, { forUpdate: true });
    if (!existing || existing.scimManagedAt) throw taken(userName);
    return { account: await updateScimAccount(tx, scope, existing, input, 'replace', ctx.actor) };
  });
  if ('conflictId' in outcome) {
    throw new ScimError(409, 'uniqueness', `More than one existing account matches this user; an administrator must resolve link conflict ${outcome.conflictId}.`);
  }
  return userResponse(ctx, outcome.account, 201, 'groups' in outcome ? outcome.groups : undefined);
}

/** The body as account input. With a remembered principal, nothing about the body is answered before the token is known good (401 first). */
async function readUserInput(ctx: ScimContext): Promise<ScimAccountInput> {
  try {
    return toScimAccountInput(parseUser(ctx.json()));
  } catch (error) {
    if (ctx.unverified) await ctx.unverified.verify();
    throw error;
  }
}

/** The one-statement joiner (createScimJoiner); null when it wrote nothing (a concurrent create of the same user name included). */
async function insertJoiner(ctx: ScimContext, input: ScimAccountInput, policy: BirthrightPolicy, guard: JoinerGuard | null) {
  return createScimJoiner(ctx.db, scopeOf(ctx), input, ctx.actor, policy, guard).catch((error: unknown) => {
    if (isUniqueViolation(error)) return null;
    throw error;
  });
}

/** PUT /Users/{id}: full replace of what SCIM owns; `active` and `externalId` change only when sent. */
export async function replaceUser(ctx: ScimContext, id: string): Promise<ScimResponse> {
  const input = toScimAccountInput(parseUser(ctx.json()));
  const account = await ctx.db.transaction(async (tx) => {
    const current = await getScimAccount(tx, ctx.principal.organizationId, id, { forUpdate: true });
    if (!current) throw notFound(`User ${id}`);
    checkIfMatch(ctx, current.version);
    return updateScimAccount(tx, scopeOf(ctx), current, input, 'replace', ctx.actor);
  });
  return userResponse(ctx, account);
}

/**
 * PATCH /Users/{id}: the row is locked, the operations (normalized for Entra/Okta) are applied by
 * scimmy to the current resource, and the result is written — concurrent PATCHes serialize on the
 * lock, so none is lost.
 */
export async function patchUser(ctx: ScimContext, id: string): Promise<ScimResponse> {
  const raw = ctx.json();
  const organizationId = ctx.principal.organizationId;
  const { account, groups } = await ctx.db.transaction(async (tx) => {
    // One round trip: the row (locked) and its groups (none if the id is not a visible user).
    // A PATCH cannot change a user's groups (readOnly), so they also serve the response.
    const [current, groups] = await Promise.all([getScimAccount(tx, organizationId, id, { forUpdate: true }), findGroupsOfAccounts(tx, organizationId, [id])]);
    if (!current) throw notFound(`User ${id}`);
    checkIfMatch(ctx, current.version);
    const resource = renderUser(toScimUser(current, groups, ctx.baseUrl), ctx.baseUrl);
    const operations = normalizeUserPatch(userDefinition, raw, resource);
    const patched = await applyPatch('User', resource, operations);
    if (!patched) return { account: current, groups };
    const input: ScimAccountInput = toScimAccountInput(patched);
    if (!input.profile.userName) throw badRequest('invalidValue', 'userName must not be empty');
    if (!operations.some((o) => o.path === 'active')) input.active = undefined;
    return { account: await updateScimAccount(tx, scopeOf(ctx), current, input, 'merge', ctx.actor), groups };
  });
  return userResponse(ctx, account, 200, groups);
}
