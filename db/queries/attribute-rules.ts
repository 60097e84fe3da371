import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { attributeRules, organizations, roles, type RuleConditions } from '@/db/schema';
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

export type PolicyRule = { id: string; roleId: string; connectionId: string | null; conditions: RuleConditions };
export type PolicyRole = { id: string; key: string; name: string; description: string | null };

/**
 * What decides a connection's birthright roles, in one statement: its enabled rules (organization-wide
 * ones included) and the organization's roles with the given keys (the connection's default roles).
 * Every SCIM create reads it, so its SQL is built once per handle (built-once.ts).
 */
export async function findBirthrightPolicy(db: Tx, organizationId: string, connectionId: string, roleKeys: string[]): Promise<{ rules: PolicyRule[]; defaults: PolicyRole[] }> {
  const [row] = await birthrightPolicy(db).execute({ organizationId, connectionId, roleKeys: `{${roleKeys.map((k) => `"${k.replace(/["\\]/g, '\\$&')}"`).join(',')}}` });
  return { rules: row?.rules ?? [], defaults: row?.defaults ?? [] };
}

const birthrightPolicy = builtOnce((db) => {
  const org = sql.placeholder('organizationId');
  return db
    .select({
      rules: sql<PolicyRule[]>`coalesce((
        select json_agg(json_build_object('id', r.id, 'roleId', r.role_id, 'connectionId', r.connection_id, 'conditions', r.conditions) order by r.created_at, r.id)
        from ${attributeRules} r
        where r.organization_id = ${org}::uuid and r.enabled and (r.connection_id is null or r.connection_id = ${sql.placeholder('connectionId')}::uuid)), '[]'::json)`,
      defaults: sql<PolicyRole[]>`coalesce((
        select json_agg(json_build_object('id', ro.id, 'key', ro.key, 'name', ro.name, 'description', ro.description) order by ro.key)
        from ${roles} ro where ro.organization_id = ${org}::uuid and ro.key = any(${sql.placeholder('roleKeys')}::text[])), '[]'::json)`,
    })
    .from(organizations)
    .where(eq(organizations.id, sql`${org}::uuid`))
    .prepare('birthright_policy');
});
