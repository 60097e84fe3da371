import { filterToSql } from '@/db/queries/scim-filter-sql';
import { groupSortExpression, resolveGroupAttribute } from '@/db/queries/scim-group-attributes';
import { findGroups, getGroup as getGroupRow } from '@/db/queries/groups';
import { respond, type ScimContext, type ScimResponse } from './context';
import { groupResponse, presentGroups } from './group-response';
import type { ListParams } from './list-params';
import { listResponse } from './list-response';
import { notModified } from './preconditions';
import { notFound } from './scim-error';
import type { AttributeSelection } from './select-attributes';
import { etagOf } from './user-resource';

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
