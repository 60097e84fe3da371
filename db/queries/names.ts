import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/db';
import { accounts, attributeRules, connections, groups, roles, scimTokens } from '@/db/schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NameRequest = { accounts?: string[]; rules?: string[]; groups?: string[]; connections?: string[]; scimTokens?: string[]; roles?: string[] };

/**
 * Display names for ids of one organization (accounts: display name or user name; rules, groups,
 * connections, SCIM tokens, roles: their names), so the console can say who and what, not ids.
 * Ids of another organization, or not ids at all, are simply not named.
 */
export async function findNames(db: Tx, organizationId: string, request: NameRequest): Promise<Map<string, string>> {
  const ids = (list?: string[]) => [...new Set((list ?? []).filter((id) => UUID.test(id)))];
  const [a, r, g, c, t, ro] = await Promise.all([
    ids(request.accounts).length ? db.select({ id: accounts.id, name: accounts.displayName, userName: accounts.userName }).from(accounts).where(and(eq(accounts.organizationId, organizationId), inArray(accounts.id, ids(request.accounts)))) : [],
    ids(request.rules).length ? db.select({ id: attributeRules.id, name: attributeRules.name }).from(attributeRules).where(and(eq(attributeRules.organizationId, organizationId), inArray(attributeRules.id, ids(request.rules)))) : [],
    ids(request.groups).length ? db.select({ id: groups.id, name: groups.displayName }).from(groups).where(and(eq(groups.organizationId, organizationId), inArray(groups.id, ids(request.groups)))) : [],
    ids(request.connections).length ? db.select({ id: connections.id, name: connections.name }).from(connections).where(and(eq(connections.organizationId, organizationId), inArray(connections.id, ids(request.connections)))) : [],
    ids(request.scimTokens).length ? db.select({ id: scimTokens.id, name: scimTokens.name }).from(scimTokens).where(and(eq(scimTokens.organizationId, organizationId), inArray(scimTokens.id, ids(request.scimTokens)))) : [],
    ids(request.roles).length ? db.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.organizationId, organizationId), inArray(roles.id, ids(request.roles)))) : [],
  ]);
  const names = new Map<string, string>();
  for (const row of a) names.set(row.id, row.name ?? row.userName);
  for (const row of [...r, ...g, ...c, ...t, ...ro]) names.set(row.id, row.name);
  return names;
}
