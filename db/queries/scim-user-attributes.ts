import { sql, type SQL } from 'drizzle-orm';
import { accounts, groupMemberships, groups } from '@/db/schema';
import type { AttrPath } from './filter-ast';
import type { FilterAttribute } from './scim-filter-sql';

/** SCIM User attribute paths → account columns, for filters (scim-filter-sql.ts) and sortBy. */
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:user';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user';

const text = (expr: SQL, caseExact = false): FilterAttribute => ({ kind: 'text', expr, caseExact });
/** A text value inside `scim_attributes` (keys are constants of this file, so they are inlined). */
const jsonKey = (key: string) => sql.raw(`'${key.replace(/'/g, "''")}'`);
const stored = (...keys: string[]) =>
  text(sql.join([sql`${accounts.scimAttributes}`, ...keys.map((k, i) => (i === keys.length - 1 ? sql`->>${jsonKey(k)}` : sql`->${jsonKey(k)}`))], sql``));

const SUB_ATTRIBUTES: Record<string, string[]> = {
  emails: ['value', 'display', 'type', 'primary'],
  phoneNumbers: ['value', 'display', 'type', 'primary'],
  ims: ['value', 'display', 'type', 'primary'],
  photos: ['value', 'display', 'type', 'primary'],
  entitlements: ['value', 'display', 'type', 'primary'],
  roles: ['value', 'display', 'type', 'primary'],
  x509Certificates: ['value', 'display', 'type', 'primary'],
  addresses: ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary'],
};

/** The emails a SCIM client sees: as sent, or the account's own email as the primary work one. */
const emailsExpr = sql`(case when jsonb_typeof(${accounts.scimAttributes}->'emails') = 'array' and jsonb_array_length(${accounts.scimAttributes}->'emails') > 0 then ${accounts.scimAttributes}->'emails' when ${accounts.email} is not null then jsonb_build_array(jsonb_build_object('value', ${accounts.email}, 'type', 'work', 'primary', true)) else '[]'::jsonb end)`;

function jsonMulti(name: string): FilterAttribute {
  const array = name === 'emails' ? emailsExpr : sql`coalesce(${accounts.scimAttributes}->${jsonKey(name)}, '[]'::jsonb)`;
  return {
    kind: 'multi',
    from: sql`jsonb_array_elements(${array}) as e(v)`,
    defaultSub: 'value',
    element: (sub) => {
      const canonical = SUB_ATTRIBUTES[name]!.find((s) => s.toLowerCase() === sub.toLowerCase());
      if (!canonical) return null;
      return canonical === 'primary' ? { kind: 'boolean', expr: sql`(e.v->>'primary')::boolean` } : text(sql`e.v->>${jsonKey(canonical)}`);
    },
  };
}

const groupsMulti: FilterAttribute = {
  kind: 'multi',
  from: sql`${groupMemberships} gm join ${groups} g on g.id = gm.group_id`,
  where: sql`gm.account_id = ${accounts.id}`,
  defaultSub: 'value',
  element: (sub) => {
    const key = sub.toLowerCase();
    if (key === 'value') return { kind: 'uuid', expr: sql`g.id` };
    if (key === 'display') return text(sql`g.display_name`);
    return null;
  },
};

const SCALARS: Record<string, FilterAttribute> = {
  id: { kind: 'uuid', expr: sql`${accounts.id}` },
  username: text(sql`${accounts.userName}`),
  externalid: text(sql`${accounts.externalId}`, true),
  displayname: text(sql`${accounts.displayName}`),
  title: text(sql`${accounts.title}`),
  active: { kind: 'boolean', expr: sql`(${accounts.status} = 'active')` },
  'name.givenname': text(sql`${accounts.givenName}`),
  'name.familyname': text(sql`${accounts.familyName}`),
  'name.formatted': stored('name', 'formatted'),
  'name.middlename': stored('name', 'middleName'),
  'name.honorificprefix': stored('name', 'honorificPrefix'),
  'name.honorificsuffix': stored('name', 'honorificSuffix'),
  nickname: stored('nickName'),
  usertype: stored('userType'),
  preferredlanguage: stored('preferredLanguage'),
  locale: stored('locale'),
  timezone: stored('timezone'),
  profileurl: stored('profileUrl'),
  'meta.created': { kind: 'time', expr: sql`${accounts.createdAt}` },
  'meta.lastmodified': { kind: 'time', expr: sql`${accounts.updatedAt}` },
  'meta.resourcetype': { kind: 'custom', compare: (op, v) => (op === 'eq' && String(v).toLowerCase() === 'user' ? sql`true` : sql`false`), present: sql`true` },
};

const ENTERPRISE_SCALARS: Record<string, FilterAttribute> = {
  employeenumber: text(sql`${accounts.employeeNumber}`),
  department: text(sql`${accounts.department}`),
  manager: text(sql`${accounts.manager}`),
  'manager.value': text(sql`${accounts.manager}`),
  'manager.displayname': stored('enterprise', 'managerDisplayName'),
  costcenter: stored('enterprise', 'costCenter'),
  organization: stored('enterprise', 'organization'),
  division: stored('enterprise', 'division'),
};

const hasEnterprise = sql`(${accounts.employeeNumber} is not null or ${accounts.department} is not null or ${accounts.manager} is not null or ${accounts.scimAttributes} ? 'enterprise')`;
const schemasAttribute: FilterAttribute = {
  kind: 'custom',
  present: sql`true`,
  compare: (op, value) => {
    const urn = String(value).toLowerCase();
    const holds = urn === CORE ? sql`true` : urn === ENTERPRISE ? hasEnterprise : sql`false`;
    return op === 'eq' ? holds : op === 'ne' ? sql`not ${holds}` : sql`false`;
  },
};

export function resolveUserAttribute(path: AttrPath): FilterAttribute | null {
  const uri = path.uri?.toLowerCase() ?? null;
  const key = `${path.attr}${path.sub ? `.${path.sub}` : ''}`.toLowerCase();
  if (uri === ENTERPRISE) return ENTERPRISE_SCALARS[key] ?? null;
  if (uri !== null && uri !== CORE) return null;
  const multi = Object.keys(SUB_ATTRIBUTES).find((name) => name.toLowerCase() === path.attr.toLowerCase());
  if (multi) return jsonMulti(multi);
  if (path.attr.toLowerCase() === 'groups') return groupsMulti;
  if (key === 'schemas') return schemasAttribute;
  return SCALARS[key] ?? null;
}

/** sortBy → an ORDER BY expression; unknown attributes keep the default order, by id (RFC 7644 §3.4.2.3 allows any order). */
export function userSortExpression(sortBy: string | null): SQL | null {
  const key = (sortBy ?? '').toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:user:/, '');
  const columns: Record<string, SQL> = {
    username: sql`lower(${accounts.userName})`,
    displayname: sql`lower(${accounts.displayName})`,
    'name.givenname': sql`lower(${accounts.givenName})`,
    'name.familyname': sql`lower(${accounts.familyName})`,
    title: sql`lower(${accounts.title})`,
    externalid: sql`${accounts.externalId}`,
    emails: sql`lower(${accounts.email})`,
    'emails.value': sql`lower(${accounts.email})`,
    'meta.created': sql`${accounts.createdAt}`,
    'meta.lastmodified': sql`${accounts.updatedAt}`,
    id: sql`${accounts.id}`,
  };
  return columns[key] ?? null;
}
