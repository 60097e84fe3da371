import { findGroupsOfAccounts, findScimAccountByUserName, findScimAccountByUserNameGuarded, findScimAccounts, getScimAccountWithGroups, type AccountGroup, type AccountWithGroups, type ScimUserRow } from '@/db/queries/scim-accounts';
import { filterToSql } from '@/db/queries/scim-filter-sql';
import { resolveUserAttribute, userSortExpression } from '@/db/queries/scim-user-attributes';
import { respond, type ScimContext, type ScimResponse } from './context';
import type { FilterNode } from './filter';
import type { ListParams } from './list-params';
import { listResponse } from './list-response';
import type { JsonObject } from './normalize';
import { notModified } from './preconditions';
import { USER_SCHEMA } from './scimmy';
import { notFound } from './scim-error';
import { isSelected, selectAttributes, type AttributeSelection } from './select-attributes';
import { etagOf, toScimUser } from './user-resource';

const ALL: AttributeSelection = { include: null, exclude: [] };

/** Accounts (with their groups) as SCIM Users, trimmed to the selected attributes. */
export function presentUsers(ctx: ScimContext, rows: AccountWithGroups[], selection: AttributeSelection = ALL): JsonObject[] {
  const showGroups = isSelected(selection, 'groups');
  return rows.map(({ account, groups }) => selectAttributes(toScimUser(account, showGroups ? groups : [], ctx.baseUrl), selection));
}

/** One account as the response; its groups are loaded unless the caller knows them (a new account has none). */
export async function userResponse(ctx: ScimContext, account: ScimUserRow, status = 200, known?: AccountGroup[]): Promise<ScimResponse> {
  const groups = known ?? (await findGroupsOfAccounts(ctx.db, ctx.principal.organizationId, [account.id]));
  return single(ctx, { account, groups }, status, ALL);
}

function single(ctx: ScimContext, row: AccountWithGroups, status: number, selection: AttributeSelection): ScimResponse {
  const [body] = presentUsers(ctx, [row], selection);
  const headers: Record<string, string> = { ETag: etagOf(row.account.version) };
  if (status === 201) headers.Location = `${ctx.baseUrl}/Users/${row.account.id}`;
  return respond(status, body!, headers);
}

export async function getUser(ctx: ScimContext, id: string, selection: AttributeSelection): Promise<ScimResponse> {
  const row = await getScimAccountWithGroups(ctx.db, ctx.principal.organizationId, id);
  if (!row) throw notFound(`User ${id}`);
  if (notModified(ctx, row.account.version)) return respond(304, null, { ETag: etagOf(row.account.version) });
  return single(ctx, row, 200, selection);
}

/** The user name a filter asks for when it is exactly `userName eq "…"` (what IdPs send before a push), else null. */
export function userNameLookup(filter: FilterNode | null): string | null {
  if (filter?.type !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string' || filter.path.sub !== null) return null;
  const { uri, attr } = filter.path;
  return attr.toLowerCase() === 'username' && (uri === null || uri.toLowerCase() === USER_SCHEMA.toLowerCase()) ? filter.value : null;
}

/**
 * GET /Users. With a principal remembered from an earlier request (ctx.verify set), the lookup by
 * user name checks the token in its own statement; any other list authenticates in full first.
 */
export async function listUsers(ctx: ScimContext, params: ListParams): Promise<ScimResponse> {
  const userName = userNameLookup(params.filter);
  if (userName !== null) {
    // At most one account (user names are unique): the page is it or nothing, whatever the sort.
    const found = await lookUpUserName(ctx, userName);
    const rows = found && params.startIndex === 1 && params.count > 0 ? [found] : [];
    return respond(200, listResponse(presentUsers(ctx, rows, params.selection), { startIndex: params.startIndex, totalResults: found ? 1 : 0 }));
  }
  if (ctx.verify) await ctx.verify({ withPolicy: false });
  const { rows, total } = await findScimAccounts(ctx.db, ctx.principal.organizationId, {
    where: params.filter ? filterToSql(params.filter, resolveUserAttribute) : null,
    sort: userSortExpression(params.sortBy),
    descending: params.descending,
    offset: params.startIndex - 1,
    limit: params.count,
  });
  const resources = presentUsers(ctx, rows, params.selection);
  return respond(200, listResponse(resources, { startIndex: params.startIndex, totalResults: total }));
}

/** The account with this user name; through a remembered principal, only while its token is good (else authenticated in full: 401 if revoked). */
async function lookUpUserName(ctx: ScimContext, userName: string): Promise<AccountWithGroups | null> {
  const organizationId = ctx.principal.organizationId;
  if (ctx.verify && ctx.principal.guard) {
    const { granted, found } = await findScimAccountByUserNameGuarded(ctx.db, organizationId, userName, ctx.principal.guard);
    if (granted) return found;
    await ctx.verify({ withPolicy: false }); // the token decides the organization, so a good one still means this one
  }
  return findScimAccountByUserName(ctx.db, organizationId, userName);
}
