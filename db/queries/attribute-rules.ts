import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '@/db';
import { attributeRules, type RuleConditions } from '@/db/schema';

export async function insertAttributeRule(
  db: Tx,
  values: { organizationId: string; name: string; roleId: string; connectionId?: string | null; conditions: RuleConditions },
) {
  const [row] = await db.insert(attributeRules).values(values).returning({ id: attributeRules.id });
  return row!;
}

/** Enabled rules that apply to logins through this connection (organization-wide ones included). */
export async function findRulesForConnection(db: Tx, organizationId: string, connectionId: string) {
  return db
    .select({ id: attributeRules.id, roleId: attributeRules.roleId, connectionId: attributeRules.connectionId, conditions: attributeRules.conditions })
    .from(attributeRules)
    .where(
      and(
        eq(attributeRules.organizationId, organizationId),
        eq(attributeRules.enabled, true),
        or(isNull(attributeRules.connectionId), eq(attributeRules.connectionId, connectionId)),
      ),
    )
    .prepare('attribute_rules_for_connection')
    .execute();
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
