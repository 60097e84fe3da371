import { filterToSql } from '@/db/queries/scim-filter-sql';
import { groupSortExpression, resolveGroupAttribute } from '@/db/queries/scim-group-attributes';
import { findGroupMembers, findGroups, getGroup as getGroupRow } from '@/db/queries/groups';
import type { Group } from '@/db/schema';
import { removeGroup } from '@/lib/lifecycle/manage-group';
import { respond, type ScimContext, type ScimResponse } from './context';
import { toScimGroup, type GroupMember } from './group-resource';
import type { ListParams } from './list-params';
import { listResponse } from './list-response';
import type { JsonObject } from './normalize';
import { checkIfMatch, notModified } from './preconditions';
import { renderGroup } from './schemas';
import { notFound } from './scim-error';
import { isSelected, selectAttributes, type AttributeSelection } from './select-attributes';
import { etagOf } from './user-resource';

export { createGroup, patchGroup, replaceGroup } from './group-writes';

const ALL: AttributeSelection = { include: null, exclude: [] };

export async function presentGroups(ctx: ScimContext, groups: Group[], selection: AttributeSelection = ALL): Promise<JsonObject[]> {
  const withMembers = isSelected(selection, 'members');
  const members: GroupMember[] = withMembers ? await findGroupMembers(ctx.db, ctx.principal.organizationId, groups.map((g) => g.id)) : [];
  return groups.map((group) => {
    const own = withMembers ? members.filter((m) => m.groupId === group.id) : null;
    return selectAttributes(renderGroup(toScimGroup(group, own, ctx.baseUrl), ctx.baseUrl), selection);
  });
}

export async function groupResponse(ctx: ScimContext, group: Group, status = 200, selection: AttributeSelection = ALL): Promise<ScimResponse> {
  const [body] = await presentGroups(ctx, [group], selection);
  const headers: Record<string, string> = { ETag: etagOf(group.version) };
  if (status === 201) headers.Location = `${ctx.baseUrl}/Groups/${group.id}`;
  return respond(status, body!, headers);
}

export async function getGroup(ctx: ScimContext, id: string, selection: AttributeSelection): Promise<ScimResponse> {
  const group = await getGroupRow(ctx.db, ctx.principal.organizationId, id);
  if (!group) throw notFound(`Group ${id}`);
  if (notModified(ctx, group.version)) return respond(304, null, { ETag: etagOf(group.version) });
  return groupResponse(ctx, group, 200, selection);
}

export async function listGroups(ctx: ScimContext, params: ListParams): Promise<ScimResponse> {
  const { rows, total } = await findGroups(ctx.db, ctx.principal.organizationId, {
    where: params.filter ? filterToSql(params.filter, resolveGroupAttribute) : null,
    sort: groupSortExpression(params.sortBy),
    descending: params.descending,
    offset: params.startIndex - 1,
    limit: params.count,
  });
  const resources = await presentGroups(ctx, rows, params.selection);
  return respond(200, listResponse(resources, { startIndex: params.startIndex, totalResults: total }));
}

export async function deleteGroup(ctx: ScimContext, id: string): Promise<ScimResponse> {
  await ctx.db.transaction(async (tx) => {
    const group = await getGroupRow(tx, ctx.principal.organizationId, id, { forUpdate: true });
    if (!group) throw notFound(`Group ${id}`);
    checkIfMatch(ctx, group.version);
    await removeGroup(tx, group, ctx.principal.connection, ctx.actor);
  });
  return respond(204, null);
}
