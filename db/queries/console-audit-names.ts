import { sql, type SQL } from 'drizzle-orm';
import { accounts, connections, externalIdentities, groups, organizations, scimTokens } from '@/db/schema';

/**
 * The names an audit row is shown with, resolved in the row's own statement (one indexed lookup
 * each, for the rows of a page only), so the console can say "Alice Anders was suspended by Entra
 * ID provisioning". Ids in events are text: each is cast to uuid only when it is one.
 *
 * The actor: an account (admin, or a user acting as themselves, by account id) by its display
 * name, else user name; a user known by an IdP subject, as the account with that identity (on the
 * event's connection, or among the target account's identities); a SCIM token by its name; the
 * CLI (the OS user) and system jobs as their id says. The target: an account, group, connection,
 * SCIM token or organization by its name; a deleted group by the name its deletion recorded.
 */
/**
 * The event's columns, qualified by hand: in a select list drizzle writes a column unqualified,
 * and inside these subqueries `organization_id` would then be the looked-up row's own (which is
 * how a first version named another organization's accounts).
 */
const e = Object.fromEntries(
  Object.entries({ organizationId: 'organization_id', actorType: 'actor_type', actorId: 'actor_id', targetType: 'target_type', targetId: 'target_id', data: 'data', before: 'before', after: 'after' }).map(
    ([key, column]) => [key, sql.raw(`"audit_events"."${column}"`)],
  ),
) as Record<'organizationId' | 'actorType' | 'actorId' | 'targetType' | 'targetId' | 'data' | 'before' | 'after', SQL>;
const UUID_PATTERN = sql.raw(`'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`);
const asUuid = (text: SQL) => sql`(case when ${text} ~ ${UUID_PATTERN} then (${text})::uuid end)`;

const accountName = (alias: string) => sql.raw(`coalesce(${alias}.display_name, ${alias}.user_name)`);

const accountActor = sql`(select ${accountName('a')} from ${accounts} a
  where a.organization_id = ${e.organizationId} and a.id = ${asUuid(sql`${e.actorId}`)})`;

const identityActor = sql`(select ${accountName('a')} from ${externalIdentities} i
  join ${accounts} a on a.id = i.account_id and a.organization_id = i.organization_id
  where i.organization_id = ${e.organizationId} and i.subject = ${e.actorId}
    and (i.connection_id = ${asUuid(sql`${e.data}->>'connectionId'`)}
      or (${e.targetType} = 'account' and i.account_id = ${asUuid(sql`${e.targetId}`)}))
  limit 1)`;

export const actorName = sql<string | null>`case
  when ${e.actorType} in ('admin', 'user') then coalesce(${accountActor}, case when ${e.actorType} = 'user' then ${identityActor} end)
  when ${e.actorType} = 'scim' then (select t.name from ${scimTokens} t where t.organization_id = ${e.organizationId} and t.id = ${asUuid(sql`${e.actorId}`)})
  else ${e.actorId} end`;

const targetId = asUuid(sql`${e.targetId}`);
export const targetName = sql<string | null>`case ${e.targetType}
  when 'account' then (select ${accountName('a')} from ${accounts} a where a.organization_id = ${e.organizationId} and a.id = ${targetId})
  when 'group' then coalesce((select g.display_name from ${groups} g where g.organization_id = ${e.organizationId} and g.id = ${targetId}),
    ${e.before}->>'displayName', ${e.after}->>'displayName')
  when 'connection' then (select c.name from ${connections} c where c.organization_id = ${e.organizationId} and c.id = ${targetId})
  when 'scim_token' then coalesce((select t.name from ${scimTokens} t where t.organization_id = ${e.organizationId} and t.id = ${targetId}), ${e.data}->>'name')
  when 'organization' then (select o.name from ${organizations} o where o.id = ${e.organizationId} and o.id = ${targetId})
  end`;
