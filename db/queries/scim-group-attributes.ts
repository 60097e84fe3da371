import { sql, type SQL } from 'drizzle-orm';
import { groupMemberships, groups } from '@/db/schema';
import type { AttrPath } from './filter-ast';
import type { FilterAttribute } from './scim-filter-sql';

/** SCIM Group attribute paths → group columns, for filters and sortBy. */
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:group';

const members: FilterAttribute = {
  kind: 'multi',
  from: sql`${groupMemberships} gm`,
  where: sql`gm.group_id = ${groups.id}`,
  defaultSub: 'value',
  element: (sub) => (sub.toLowerCase() === 'value' ? { kind: 'uuid', expr: sql`gm.account_id` } : null),
};

const SCALARS: Record<string, FilterAttribute> = {
  id: { kind: 'uuid', expr: sql`${groups.id}` },
  displayname: { kind: 'text', expr: sql`${groups.displayName}`, caseExact: false },
  externalid: { kind: 'text', expr: sql`${groups.externalId}`, caseExact: true },
  'meta.created': { kind: 'time', expr: sql`${groups.createdAt}` },
  'meta.lastmodified': { kind: 'time', expr: sql`${groups.updatedAt}` },
  schemas: { kind: 'custom', present: sql`true`, compare: (op, v) => ((op === 'eq') === (String(v).toLowerCase() === CORE) ? sql`true` : sql`false`) },
};

export function resolveGroupAttribute(path: AttrPath): FilterAttribute | null {
  if (path.uri && path.uri.toLowerCase() !== CORE) return null;
  if (path.attr.toLowerCase() === 'members') return members;
  return SCALARS[`${path.attr}${path.sub ? `.${path.sub}` : ''}`.toLowerCase()] ?? null;
}

export function groupSortExpression(sortBy: string | null): SQL | null {
  const key = (sortBy ?? '').toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:group:/, '');
  const columns: Record<string, SQL> = {
    displayname: sql`lower(${groups.displayName})`,
    externalid: sql`${groups.externalId}`,
    'meta.created': sql`${groups.createdAt}`,
    'meta.lastmodified': sql`${groups.updatedAt}`,
    id: sql`${groups.id}`,
  };
  return columns[key] ?? null;
}
