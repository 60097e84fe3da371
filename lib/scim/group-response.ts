import { findGroupMembers } from '@/db/queries/groups';
import type { Group } from '@/db/schema';
import { respond, type ScimContext, type ScimResponse } from './context';
import { toScimGroup, type GroupMember } from './group-resource';
import type { JsonObject } from './normalize';
import { renderGroup } from './schemas';
import { isSelected, selectAttributes, type AttributeSelection } from './select-attributes';
import { etagOf } from './user-resource';

const ALL: AttributeSelection = { include: null, exclude: [] };

/** Groups as SCIM Groups (members loaded only when selected), trimmed to the selected attributes. */
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
