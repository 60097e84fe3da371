import type { Group } from '@/db/schema';
import { isObject, type Json, type JsonObject } from './normalize';
import { badRequest } from './scim-error';
import { GROUP_SCHEMA } from './scimmy';
import { etagOf } from './user-resource';

export type GroupMember = { groupId: string; accountId: string; userName: string; displayName: string | null };

/** The SCIM Group for a row; `members` null leaves them out (excludedAttributes=members). */
export function toScimGroup(group: Group, members: GroupMember[] | null, baseUrl: string): JsonObject {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    ...(members
      ? { members: members.map((m) => ({ value: m.accountId, display: m.displayName ?? m.userName, $ref: `${baseUrl}/Users/${m.accountId}`, type: 'User' })) }
      : {}),
    meta: { resourceType: 'Group', created: group.createdAt.toISOString(), lastModified: group.updatedAt.toISOString(), version: etagOf(group.version) },
  };
}

/** Member ids from a `members` value: `[{ value }]`, one `{ value }`, or (leniently) bare ids. */
export function memberIds(value: Json | undefined): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.map((item) => {
    const id = isObject(item) ? item.value : item;
    if (typeof id !== 'string' || id.trim() === '') throw badRequest('invalidValue', 'Each member needs a string value (the user id)');
    return id.trim().toLowerCase();
  });
}
