import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { attributeRules, connections, organizations, roles, type RuleConditions } from '@/db/schema';
import { builtOnce } from './built-once';

export async function insertAttributeRule(
  db: Tx,
  values: { organizationId: string; name: string; roleId: string; connectionId?: string | null; conditions: RuleConditions },
) {
  const [row] = await db.insert(attributeRules).values(values).returning({ id: attributeRules.id });
  return row!;
}

export async function getAttributeRuleByName(db: Tx, organizationId: string, name: string) {
  const [row] = await db
    .select({ id: attributeRules.id, roleId: attributeRules.roleId, connectionId: attributeRules.connectionId, conditions: attributeRules.conditions })
    .from(attributeRules)
    .where(and(eq(attributeRules.organizationId, organizationId), eq(attributeRules.name, name)));
  return row ?? null;
}

/** Whether any enabled rule of the organization tests `groups` (then membership changes re-evaluate birthright roles). */
export async function anyRuleUsesGroups(db: Tx, organizationId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: attributeRules.id })
    .from(attributeRules)
    .where(
      and(
        eq(attributeRules.organizationId, organizationId),
        eq(attributeRules.enabled, true),
        sql`exists (select 1 from jsonb_array_elements(${attributeRules.conditions}->'conditions') c where c->>'attribute' = 'groups')`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** Matches no connection: with it, only organization-wide attribute rules apply (a token or account tied to none). */
export const NO_CONNECTION = '00000000-0000-0000-0000-000000000000';

export type PolicyRule = { id: string; roleId: string; roleKey: string; connectionId: string | null; conditions: RuleConditions };
export type PolicyRole = { id: string; key: string; name: string; description: string | null };

/**
 * What decides a connection's birthright roles, in one statement: its enabled rules (organization-wide
 * ones included) and the organization's roles with the given keys (the connection's default roles);
 * the organization's settings come with them (findBirthrightPolicyAndSettings).
 * Every SCIM create reads it, so its SQL is built once per handle (built-once.ts).
 */
export async function findBirthrightPolicy(db: Tx, organizationId: string, connectionId: string, roleKeys: string[]): Promise<{ rules: PolicyRule[]; defaults: PolicyRole[] }> {
  return (await findBirthrightPolicyAndSettings(db, organizationId, connectionId, roleKeys)).policy;
}

/** The same, with the organization's settings (null: no such organization) from the same row: a sign-in needs both. */
export async function findBirthrightPolicyAndSettings(db: Tx, organizationId: string, connectionId: string, roleKeys: string[]) {
  const [row] = await birthrightPolicy(db).execute({ organizationId, connectionId, roleKeys: `{${roleKeys.map((k) => `"${k.replace(/["\\]/g, '\\$&')}"`).join(',')}}` });
  return { policy: { rules: row?.rules ?? [], defaults: row?.defaults ?? [] }, settings: row?.settings ?? null };
}

/** An organization's enabled rules for a connection (organization-wide ones included), as one JSON array. */
export const birthrightRulesJson = (organizationId: SQL, connectionId: SQL) => sql<PolicyRule[]>`coalesce((
  select json_agg(json_build_object('id', r.id, 'roleId', r.role_id, 'roleKey', ro.key, 'connectionId', r.connection_id, 'conditions', r.conditions) order by r.created_at, r.id)
  from ${attributeRules} r join ${roles} ro on ro.id = r.role_id
  where r.organization_id = ${organizationId} and r.enabled and (r.connection_id is null or r.connection_id = ${connectionId})), '[]'::json)`;

/** An organization's roles with these keys (a connection's default roles), as one JSON array. */
export const birthrightRolesJson = (organizationId: SQL, keys: SQL) => sql<PolicyRole[]>`coalesce((
  select json_agg(json_build_object('id', ro.id, 'key', ro.key, 'name', ro.name, 'description', ro.description) order by ro.key)
  from ${roles} ro where ro.organization_id = ${organizationId} and ro.key = any(${keys})), '[]'::json)`;

const birthrightPolicy = builtOnce((db) => {
  const org = sql`${sql.placeholder('organizationId')}::uuid`;
  return db
    .select({
      rules: birthrightRulesJson(org, sql`${sql.placeholder('connectionId')}::uuid`),
      defaults: birthrightRolesJson(org, sql`${sql.placeholder('roleKeys')}::text[]`),
      settings: organizations.settings,
    })
    .from(organizations)
    .where(eq(organizations.id, org))
    .prepare('birthright_policy');
});

/** A rule as the console and the CLI show it: its role's key and its connection's name. */
export type RuleRow = {
  id: string;
  name: string;
  roleId: string;
  roleKey: string;
  connectionId: string | null;
  connectionName: string | null;
  conditions: RuleConditions;
  enabled: boolean;
  createdAt: Date;
};

const ruleColumns = {
  id: attributeRules.id,
  name: attributeRules.name,
  roleId: attributeRules.roleId,
  roleKey: roles.key,
  connectionId: attributeRules.connectionId,
  connectionName: connections.name,
  conditions: attributeRules.conditions,
  enabled: attributeRules.enabled,
  createdAt: attributeRules.createdAt,
};

/** An organization's rules in the order they are evaluated and listed (creation). */
export async function findAttributeRules(db: Tx, organizationId: string): Promise<RuleRow[]> {
  return db
    .select(ruleColumns)
    .from(attributeRules)
    .innerJoin(roles, eq(roles.id, attributeRules.roleId))
    .leftJoin(connections, eq(connections.id, attributeRules.connectionId))
    .where(eq(attributeRules.organizationId, organizationId))
    .orderBy(attributeRules.createdAt, attributeRules.id);
}

/** A rule by id or by name (case-insensitive), optionally locked for the rest of the transaction. */
export async function getAttributeRule(db: Tx, organizationId: string, idOrName: string, options: { forUpdate?: boolean } = {}): Promise<RuleRow | null> {
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const query = db
    .select(ruleColumns)
    .from(attributeRules)
    .innerJoin(roles, eq(roles.id, attributeRules.roleId))
    .leftJoin(connections, eq(connections.id, attributeRules.connectionId))
    .where(and(eq(attributeRules.organizationId, organizationId), byId ? eq(attributeRules.id, idOrName) : sql`lower(${attributeRules.name}) = lower(${idOrName})`))
    .orderBy(attributeRules.createdAt)
    .limit(1);
  const [row] = options.forUpdate ? await query.for('update', { of: attributeRules }) : await query;
  return row ?? null;
}

export async function insertAttributeRuleWithId(
  db: Tx,
  values: { id: string; organizationId: string; name: string; roleId: string; connectionId: string | null; conditions: RuleConditions; enabled: boolean },
) {
  await db.insert(attributeRules).values(values);
}

export async function updateAttributeRule(
  db: Tx,
  organizationId: string,
  id: string,
  patch: Partial<{ name: string; roleId: string; connectionId: string | null; conditions: RuleConditions; enabled: boolean }>,
) {
  await db.update(attributeRules).set(patch).where(and(eq(attributeRules.organizationId, organizationId), eq(attributeRules.id, id)));
}

export async function deleteAttributeRule(db: Tx, organizationId: string, id: string) {
  await db.delete(attributeRules).where(and(eq(attributeRules.organizationId, organizationId), eq(attributeRules.id, id)));
}

/** Serializes rule changes of one organization until the transaction ends (names stay unique, diffs see each other's writes). */
export async function lockOrganizationRules(db: Tx, organizationId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`attribute_rules:${organizationId}`}::text, 0))`);
}
