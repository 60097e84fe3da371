import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  date,
  foreignKey,
  index,
  inet,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { FieldOwners } from '../lib/model/account';
import type { SourceMapping } from '../lib/sources/types';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const orgId = () => uuid('organization_id').notNull();

/**
 * The console's sort and search keys of an account (db/queries/console-accounts.ts), written once so
 * the indexes below and the queries that use them say exactly the same thing:
 * - the name shown: the display name, else the user name, lower-cased (never null, so keyset pages need no null cases);
 * - the last sign-in, never as the earliest time (-infinity: oldest first, last in "most recent first");
 * - the text a search matches: user name, email and display name, lower-cased, with chr(1) between
 *   them so a term never matches across two of them (trigram index: any part of any of them).
 */
type AccountKeyColumns = { userName: AnyPgColumn; email: AnyPgColumn; displayName: AnyPgColumn; lastLoginAt: AnyPgColumn };
export const accountDisplayKey = (t: AccountKeyColumns) => sql`lower(coalesce(${t.displayName}, ${t.userName}))`;
export const accountLastLoginKey = (t: AccountKeyColumns) => sql`coalesce(${t.lastLoginAt}, '-infinity'::timestamptz)`;
export const accountSearchText = (t: AccountKeyColumns) => sql`lower(${t.userName} || chr(1) || coalesce(${t.email}, '') || chr(1) || coalesce(${t.displayName}, ''))`;

export const protocolEnum = pgEnum('protocol', ['oidc', 'saml']);
export const accountStatusEnum = pgEnum('account_status', ['active', 'suspended', 'deprovisioned', 'pending_approval']);
export const accountSourceEnum = pgEnum('account_source', ['jit', 'scim', 'manual']);
export const assignmentSourceEnum = pgEnum('assignment_source', ['birthright', 'group', 'manual']);
export const actorTypeEnum = pgEnum('actor_type', ['user', 'admin', 'idp', 'scim', 'system', 'cli']);

export const organizations = pgTable('organizations', {
  id: id(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  /**
   * Moves on every change to what a birthright policy is read from (attribute_rules, roles,
   * connections' default roles; triggers of migration 0026): a SCIM write planned with a policy read
   * earlier checks this one number, not the policy (db/queries/scim-tokens.ts scimTokenStillGrants).
   */
  policyVersion: bigint('policy_version', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Field of the account that a claim can fill; the claim mapping is `{ field: 'claim.path' }`. */
export type ClaimMapping = Partial<Record<string, string | string[]>>;

export const connections = pgTable(
  'connections',
  {
    id: id(),
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    protocol: protocolEnum('protocol').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    // OIDC
    issuer: text('issuer'),
    clientId: text('client_id'),
    clientSecretEncrypted: text('client_secret_encrypted'),
    scopes: text('scopes').notNull().default('openid email profile'),
    // SAML
    samlMetadata: text('saml_metadata'),
    samlConfig: jsonb('saml_config').$type<Record<string, unknown>>(),
    // Policy
    allowedDomains: text('allowed_domains').array().notNull().default(sql`'{}'::text[]`),
    jitEnabled: boolean('jit_enabled').notNull().default(true),
    claimMapping: jsonb('claim_mapping').$type<ClaimMapping>().notNull().default({}),
    /** Mapped fields a login must carry, or it is refused and nothing is created. */
    requiredAttributes: text('required_attributes').array().notNull().default(sql`'{email}'::text[]`),
    defaultRoles: text('default_roles').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('connections_id_org_unique').on(t.id, t.organizationId),
    index('connections_org_idx').on(t.organizationId),
    index('connections_allowed_domains_idx').using('gin', t.allowedDomains),
  ],
);

export const accounts = pgTable(
  'accounts',
  {
    id: id(),
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    status: accountStatusEnum('status').notNull().default('active'),
    source: accountSourceEnum('source').notNull(),
    userName: text('user_name').notNull(),
    email: text('email'),
    displayName: text('display_name'),
    givenName: text('given_name'),
    familyName: text('family_name'),
    department: text('department'),
    title: text('title'),
    employeeNumber: text('employee_number'),
    manager: text('manager'),
    extraAttributes: jsonb('extra_attributes').$type<Record<string, unknown>>().notNull().default({}),
    /** Bumped on every write: the SCIM ETag and optimistic concurrency. */
    version: integer('version').notNull().default(1),
    firstLoginAt: timestamp('first_login_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    /** SCIM `externalId`: the IdP's own id for this person (case-exact, not unique by the RFC). */
    externalId: text('external_id'),
    /** When an IdP first provisioned or adopted the account over SCIM; from then SCIM owns what it sends. */
    scimManagedAt: timestamp('scim_managed_at', { withTimezone: true }),
    /** Which door owns each field it set with authority (lib/model/account.ts): a sign-in never overwrites SCIM's or HR's. */
    fieldOwners: jsonb('field_owners').$type<FieldOwners>().notNull().default({}),
    /** The groups the IdP sent at the last sign-in (rules see them unless SCIM owns the account's groups). */
    loginGroups: text('login_groups').array().notNull().default(sql`'{}'::text[]`),
    /** SCIM attributes without a column (emails, phoneNumbers, addresses, name parts, locale…), stored as sent. */
    scimAttributes: jsonb('scim_attributes').$type<Record<string, unknown>>().notNull().default({}),
    /** What the IdP last said about `active` (null: never); applied when an admin lifts a security hold. */
    scimActive: boolean('scim_active'),
    /** An admin's security hold keeps the account suspended whatever SCIM sends, until an admin lifts it. */
    securityHoldAt: timestamp('security_hold_at', { withTimezone: true }),
    securityHoldReason: text('security_hold_reason'),
    securityHoldBy: text('security_hold_by'),
    /** When a deprovisioned account's personal data was purged (organization setting purgeDeprovisionedAfterDays). */
    purgedAt: timestamp('purged_at', { withTimezone: true }),
    /**
     * Roster's own signal of use, for dormancy: the last sign-in or the last use of a session
     * (throttled), never the IdP's word. Null: never active (counted from created_at).
     */
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
    /** The account's end date (contractors): after it the end-date job suspends it and ends its sessions. */
    endsAt: timestamp('ends_at', { withTimezone: true }),
    /** When the dormancy job warned that the account will be suspended; activity after it cancels the clock. */
    dormancyWarnedAt: timestamp('dormancy_warned_at', { withTimezone: true }),
    /** Set by the dormancy job when it suspends the account (cleared on restore): Roster's finding, not the IdP's. */
    dormancySuspendedAt: timestamp('dormancy_suspended_at', { withTimezone: true }),
    /** An admin exempted this account from dormancy (break-glass accounts). */
    dormancyExempt: boolean('dormancy_exempt').notNull().default(false),
  },
  (t) => [
    unique('accounts_id_org_unique').on(t.id, t.organizationId),
    index('accounts_org_external_id_idx').on(t.organizationId, t.externalId).where(sql`${t.externalId} is not null`),
    index('accounts_org_updated_idx').on(t.organizationId, t.updatedAt),
    /**
     * SCIM lists (every account but deprovisioned ones, in id order): a page is found by the
     * account_counts slot it starts in (slots partition the id space) and a short index-only walk.
     */
    index('accounts_org_visible_id_idx').on(t.organizationId, t.id).where(sql`${t.status} <> 'deprovisioned'`),
    uniqueIndex('accounts_org_user_name_unique').on(t.organizationId, sql`lower(${t.userName})`),
    index('accounts_org_email_idx').on(t.organizationId, sql`lower(${t.email})`),
    index('accounts_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    // The console (db/queries/console-accounts.ts): each sort is a keyset walk of one of these, id breaking ties.
    index('accounts_org_status_id_idx').on(t.organizationId, t.status, t.id),
    index('accounts_org_display_key_idx').on(t.organizationId, accountDisplayKey(t), t.id),
    index('accounts_org_last_login_key_idx').on(t.organizationId, accountLastLoginKey(t), t.id),
    /** Never signed in (said on the sort key, as the console's filter says it), by status: those counts index-only. */
    index('accounts_org_never_signed_in_idx').on(t.organizationId, t.status).where(sql`${accountLastLoginKey(t)} = '-infinity'::timestamptz`),
    /** Search: trigrams of user name, email and display name (pg_trgm), within the organization (btree_gin). */
    index('accounts_org_search_trgm_idx').using('gin', t.organizationId, sql`${accountSearchText(t)} gin_trgm_ops`),
    /** The end-date job: accounts whose end date has passed and are still active. */
    index('accounts_ends_at_idx').on(t.endsAt).where(sql`${t.endsAt} is not null and ${t.status} = 'active'`),
    // The dormancy sweep (db/queries/dormancy.ts): active accounts by their activity (creation when never active),
    // accounts suspended for dormancy by when, and the (few) warned accounts.
    // It carries the columns the definition of dormant reads (db/queries/dormancy.ts dormantWhere), so counting the dormant
    // accounts is an index-only scan (an expression index alone cannot serve one: PostgreSQL wants the raw columns).
    // Migration 0021 rebuilds it with INCLUDE (last_activity_at, created_at, dormancy_warned_at), which drizzle cannot say.
    index('accounts_org_dormancy_activity_idx').on(t.organizationId, sql`coalesce(${t.lastActivityAt}, ${t.createdAt})`).where(sql`${t.status} = 'active'`),
    /** Active accounts never active, by creation: the seat report's never-signed-in counts, index-only. */
    index('accounts_org_never_active_idx').on(t.organizationId, t.createdAt).where(sql`${t.status} = 'active' and ${t.lastActivityAt} is null`),
    index('accounts_org_dormancy_suspended_idx').on(t.organizationId, t.dormancySuspendedAt).where(sql`${t.dormancySuspendedAt} is not null`),
    index('accounts_org_dormancy_warned_idx').on(t.organizationId).where(sql`${t.dormancyWarnedAt} is not null`),
    /** Reconciliation matches HR rows by employee number first (lib/reconcile/diff: the documented key order). */
    index('accounts_org_employee_number_idx').on(t.organizationId, t.employeeNumber).where(sql`${t.employeeNumber} is not null`),
  ],
);

export const externalIdentities = pgTable(
  'external_identities',
  {
    id: id(),
    organizationId: orgId(),
    connectionId: uuid('connection_id').notNull(),
    subject: text('subject').notNull(),
    accountId: uuid('account_id').notNull(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('external_identities_connection_subject_unique').on(t.connectionId, t.subject),
    index('external_identities_account_idx').on(t.accountId),
    /** The console's accounts on a connection (filter, overview counts), index-only. */
    index('external_identities_org_connection_account_idx').on(t.organizationId, t.connectionId, t.accountId),
    foreignKey({
      name: 'external_identities_connection_fk',
      columns: [t.connectionId, t.organizationId],
      foreignColumns: [connections.id, connections.organizationId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'external_identities_account_fk',
      columns: [t.accountId, t.organizationId],
      foreignColumns: [accounts.id, accounts.organizationId],
    }).onDelete('cascade'),
  ],
);

export const roles = pgTable(
  'roles',
  {
    id: id(),
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [unique('roles_org_key_unique').on(t.organizationId, t.key), unique('roles_id_org_unique').on(t.id, t.organizationId)],
);

export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: id(),
    organizationId: orgId(),
    accountId: uuid('account_id').notNull(),
    roleId: uuid('role_id').notNull(),
    source: assignmentSourceEnum('source').notNull(),
    /** What granted it: the attribute rule or connection default (birthright), the group (group), '' for manual. */
    sourceRef: text('source_ref').notNull().default(''),
    grantedBy: text('granted_by'),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    unique('role_assignments_unique').on(t.accountId, t.roleId, t.source, t.sourceRef),
    /** A role's holders (the console's role filter and people page: index-only, expiry included). */
    index('role_assignments_org_role_account_idx').on(t.organizationId, t.roleId, t.accountId, t.expiresAt),
    index('role_assignments_expiry_idx').on(t.expiresAt).where(sql`${t.expiresAt} is not null`),
    foreignKey({
      name: 'role_assignments_account_fk',
      columns: [t.accountId, t.organizationId],
      foreignColumns: [accounts.id, accounts.organizationId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'role_assignments_role_fk',
      columns: [t.roleId, t.organizationId],
      foreignColumns: [roles.id, roles.organizationId],
    }).onDelete('cascade'),
  ],
);

export const groups = pgTable(
  'groups',
  {
    id: id(),
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    displayName: text('display_name').notNull(),
    externalId: text('external_id'),
    /** Members of this group hold this role (source group). */
    roleId: uuid('role_id'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('groups_id_org_unique').on(t.id, t.organizationId),
    uniqueIndex('groups_org_display_name_unique').on(t.organizationId, sql`lower(${t.displayName})`),
    foreignKey({
      name: 'groups_role_fk',
      columns: [t.roleId, t.organizationId],
      foreignColumns: [roles.id, roles.organizationId],
    }),
  ],
);

export const groupMemberships = pgTable(
  'group_memberships',
  {
    organizationId: orgId(),
    groupId: uuid('group_id').notNull(),
    accountId: uuid('account_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.accountId] }),
    index('group_memberships_account_idx').on(t.accountId),
    foreignKey({
      name: 'group_memberships_group_fk',
      columns: [t.groupId, t.organizationId],
      foreignColumns: [groups.id, groups.organizationId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'group_memberships_account_fk',
      columns: [t.accountId, t.organizationId],
      foreignColumns: [accounts.id, accounts.organizationId],
    }).onDelete('cascade'),
  ],
);

/** A condition on the mapped attributes; see lib/policy/evaluate-rules.ts. */
export type RuleCondition = {
  attribute: string;
  op: 'eq' | 'neq' | 'in' | 'contains' | 'startsWith' | 'endsWith' | 'exists';
  value?: string | string[];
};
export type RuleConditions = { match: 'all' | 'any'; conditions: RuleCondition[] };

export const attributeRules = pgTable(
  'attribute_rules',
  {
    id: id(),
    organizationId: orgId(),
    name: text('name').notNull(),
    roleId: uuid('role_id').notNull(),
    /** Null: applies to every connection of the organization. */
    connectionId: uuid('connection_id'),
    conditions: jsonb('conditions').$type<RuleConditions>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('attribute_rules_org_idx').on(t.organizationId),
    foreignKey({
      name: 'attribute_rules_role_fk',
      columns: [t.roleId, t.organizationId],
      foreignColumns: [roles.id, roles.organizationId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'attribute_rules_connection_fk',
      columns: [t.connectionId, t.organizationId],
      foreignColumns: [connections.id, connections.organizationId],
    }).onDelete('cascade'),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    organizationId: orgId(),
    accountId: uuid('account_id').notNull(),
    connectionId: uuid('connection_id'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
    /** The session's last use (throttled: written at most every few minutes), activity for dormancy. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    ip: inet('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    index('sessions_account_idx').on(t.accountId).where(sql`${t.revokedAt} is null`),
    foreignKey({
      name: 'sessions_account_fk',
      columns: [t.accountId, t.organizationId],
      foreignColumns: [accounts.id, accounts.organizationId],
    }).onDelete('cascade'),
  ],
);

/** Append-only: a trigger (see migrations) refuses UPDATE and DELETE. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'restrict' }),
    actorType: actorTypeEnum('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    requestId: text('request_id'),
    ip: inet('ip'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_events_org_created_idx').on(t.organizationId, t.createdAt),
    index('audit_events_target_idx').on(t.organizationId, t.targetType, t.targetId, t.createdAt),
    // The console (db/queries/console-audit.ts, console-overview.ts): by action, by actor, newest first or per day.
    index('audit_events_org_action_created_idx').on(t.organizationId, t.action, t.createdAt),
    index('audit_events_org_actor_type_created_idx').on(t.organizationId, t.actorType, t.createdAt),
    index('audit_events_org_actor_created_idx').on(t.organizationId, t.actorId, t.createdAt).where(sql`${t.actorId} is not null`),
  ],
);

/**
 * Audit events per UTC day of an organization, for the console's activity charts
 * (db/queries/console-overview.ts): a cache of days that are over, counted once from the trail when
 * first asked for. The trail is append-only, so a finished day's count never changes; the current
 * day is always counted live. `metric`: sign_ins, jit_joins, scim_events.
 */
export const auditDailyCounts = pgTable(
  'audit_daily_counts',
  {
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    metric: text('metric').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    events: integer('events').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.metric, t.day] })],
);

/** SCIM bearer tokens: only a SHA-256 hash is stored; the token decides the organization. */
export const scimTokens = pgTable(
  'scim_tokens',
  {
    id: id(),
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    connectionId: uuid('connection_id'),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters of the token, shown so an admin can tell tokens apart. */
    tokenPrefix: text('token_prefix').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('scim_tokens_org_idx').on(t.organizationId),
    foreignKey({
      name: 'scim_tokens_connection_fk',
      columns: [t.connectionId, t.organizationId],
      foreignColumns: [connections.id, connections.organizationId],
    }).onDelete('cascade'),
  ],
);

/**
 * The SCIM requests an organization's tokens made, with their outcome, so an admin can see why the
 * IdP reports an error (`/admin/scim`, `roster scim requests`). Only authenticated requests: a
 * request without a valid token belongs to no organization. Written a batch at a time by
 * lib/scim/request-log.ts (never on the request's path); kept 14 days, at most 10,000 rows per
 * organization (the purge-scim-requests job). No foreign keys but the organization's: an insert
 * checks nothing else, and tokens and connections are never deleted apart from their organization.
 */
export const scimRequests = pgTable(
  'scim_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    tokenId: uuid('token_id'),
    connectionId: uuid('connection_id'),
    method: text('method').notNull(),
    /** Below the SCIM base URL, with the list parameters (filter, startIndex …) and nothing else of the query; capped. */
    path: text('path').notNull(),
    status: integer('status').notNull(),
    scimType: text('scim_type'),
    /** The error's detail (capped); null for a success. */
    detail: text('detail'),
    resourceId: text('resource_id'),
    userName: text('user_name'),
    durationMs: integer('duration_ms').notNull(),
    requestId: text('request_id'),
    ip: inet('ip'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Newest first, and refusals (status >= 400) newest first, per organization.
    index('scim_requests_org_at_idx').on(t.organizationId, t.at.desc(), t.id.desc()),
    index('scim_requests_org_refused_at_idx').on(t.organizationId, t.at.desc(), t.id.desc()).where(sql`${t.status} >= 400`),
    // The retention sweep by age, across organizations (rows arrive in time order: a BRIN index is tiny).
    index('scim_requests_at_brin_idx').using('brin', t.at),
  ],
);

/**
 * How many accounts of an organization are not deprovisioned (what SCIM lists), kept by a deferred
 * trigger on accounts (see migrations) in 256 slots per organization, so a list's totalResults is a
 * sum of a few rows instead of counting 100k, and parallel inserts rarely wait on one counter row.
 * The slot is the id's first byte (migration 0025): slots are consecutive ranges of the id order,
 * so a page at any startIndex begins in a known slot (see db/queries/scim-accounts.ts).
 *
 * The same trigger keeps the accounts of each status and source (`active_jit` …, deprovisioned ones
 * too), so the console's totals for any statuses and sources are sums of 256 rows (console-counts.ts).
 */
export const accountCounts = pgTable(
  'account_counts',
  {
    organizationId: uuid('organization_id').notNull(),
    slot: integer('slot').notNull(),
    visible: integer('visible').notNull().default(0),
    activeJit: integer('active_jit').notNull().default(0),
    activeScim: integer('active_scim').notNull().default(0),
    activeManual: integer('active_manual').notNull().default(0),
    suspendedJit: integer('suspended_jit').notNull().default(0),
    suspendedScim: integer('suspended_scim').notNull().default(0),
    suspendedManual: integer('suspended_manual').notNull().default(0),
    deprovisionedJit: integer('deprovisioned_jit').notNull().default(0),
    deprovisionedScim: integer('deprovisioned_scim').notNull().default(0),
    deprovisionedManual: integer('deprovisioned_manual').notNull().default(0),
    pendingApprovalJit: integer('pending_approval_jit').notNull().default(0),
    pendingApprovalScim: integer('pending_approval_scim').notNull().default(0),
    pendingApprovalManual: integer('pending_approval_manual').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.slot] })],
);

export const linkConflictStatusEnum = pgEnum('link_conflict_status', ['open', 'resolved', 'dismissed']);

/**
 * An identity that could belong to more than one account (SCIM push or SSO login): nothing is linked,
 * an admin decides. One open row per (organization, source, match key); repeats bump `occurrences`.
 */
export const linkConflicts = pgTable(
  'link_conflicts',
  {
    id: id(),
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    /** 'scim' (a push matched several accounts) or 'login' (a sign-in matched several). */
    source: text('source').notNull(),
    /** What identifies the incoming identity, e.g. `scim:username:alice@acme.com` or `login:<connection>:<subject>`. */
    matchKey: text('match_key').notNull(),
    incoming: jsonb('incoming').$type<Record<string, unknown>>().notNull().default({}),
    candidateAccountIds: uuid('candidate_account_ids').array().notNull(),
    status: linkConflictStatusEnum('status').notNull().default('open'),
    occurrences: integer('occurrences').notNull().default(1),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
  },
  (t) => [
    uniqueIndex('link_conflicts_open_unique').on(t.organizationId, t.source, t.matchKey).where(sql`${t.status} = 'open'`),
    index('link_conflicts_org_status_idx').on(t.organizationId, t.status, t.createdAt),
  ],
);

/**
 * Outstanding SP-initiated SAML AuthnRequests, so a response's InResponseTo can be checked (any
 * instance), each bound to the browser that started it: the SHA-256 of a random value only that
 * browser holds, in a cookie (lib/saml/browser-binding.ts). Bounded per connection (purge-expired-state.ts).
 */
export const samlRequests = pgTable(
  'saml_requests',
  {
    id: text('id').primaryKey(),
    organizationId: orgId(),
    connectionId: uuid('connection_id').notNull(),
    relayState: text('relay_state'),
    browserBindingHash: text('browser_binding_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('saml_requests_expires_idx').on(t.expiresAt),
    index('saml_requests_connection_created_idx').on(t.connectionId, t.createdAt),
  ],
);

/** SAML assertion IDs already consumed, kept until the assertion expires: replay protection across instances. */
export const samlReplayCache = pgTable(
  'saml_replay_cache',
  {
    connectionId: uuid('connection_id').notNull(),
    assertionId: text('assertion_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.assertionId] }), index('saml_replay_cache_expires_idx').on(t.expiresAt)],
);

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
export type Connection = typeof connections.$inferSelect;
export type NewConnection = typeof connections.$inferInsert;
export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
export type AccountStatus = (typeof accountStatusEnum.enumValues)[number];
export type ExternalIdentity = typeof externalIdentities.$inferSelect;
export type Role = typeof roles.$inferSelect;
export type RoleAssignment = typeof roleAssignments.$inferSelect;
export type Group = typeof groups.$inferSelect;
export type AttributeRule = typeof attributeRules.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;
export type ActorType = (typeof actorTypeEnum.enumValues)[number];
export type ScimToken = typeof scimTokens.$inferSelect;
export type ScimRequestRow = typeof scimRequests.$inferSelect;
export type NewScimRequest = typeof scimRequests.$inferInsert;
export type LinkConflict = typeof linkConflicts.$inferSelect;

export const jobRunStatusEnum = pgEnum('job_run_status', ['running', 'succeeded', 'failed', 'halted']);

/**
 * Every run of a scheduled or requested job (lib/jobs): what ran, for which organization (null for
 * deployment-wide housekeeping), on which clock, dry or not, what it did (counts by action), and how
 * it ended. A halted run (the circuit breaker) waits for an admin: a later run with
 * `confirms_run_id` pointing at it is allowed past the breaker.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: id(),
    job: text('job').notNull(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    status: jobRunStatusEnum('status').notNull().default('running'),
    dryRun: boolean('dry_run').notNull().default(false),
    /** The clock the run used (`--as-of` for previews). */
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    /** schedule | cli | console */
    trigger: text('trigger').notNull(),
    startedBy: text('started_by'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    /** Why the breaker halted the run, in words, with the figures. */
    haltReason: text('halt_reason'),
    error: text('error'),
    attempt: integer('attempt').notNull().default(1),
    /** The pg-boss job this run executed (null when run directly from the CLI). */
    queueJobId: text('queue_job_id'),
    /** This run proceeds on an admin's confirmation of that halted run. */
    confirmsRunId: uuid('confirms_run_id').references((): AnyPgColumn => jobRuns.id, { onDelete: 'set null' }),
    confirmedBy: text('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** Job-specific summary (e.g. the breaker's figures, the policy in force). */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('job_runs_org_job_started_idx').on(t.organizationId, t.job, t.startedAt),
    index('job_runs_started_idx').on(t.startedAt),
    index('job_runs_halted_idx').on(t.organizationId).where(sql`${t.status} = 'halted'`),
  ],
);

/**
 * An organization's dormancy policy (lib/governance/dormancy): days without activity until an
 * account is dormant, suspended, and (days after that suspension) deprovisioned; a separate
 * threshold for accounts that never signed in, from their creation; a warning some days before
 * suspension; exempt roles; and the circuit breaker's limits for a run.
 */
export const dormancyPolicies = pgTable('dormancy_policies', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(true),
  dormantAfterDays: integer('dormant_after_days').notNull(),
  suspendAfterDays: integer('suspend_after_days'),
  deprovisionAfterDays: integer('deprovision_after_days'),
  neverSignedInAfterDays: integer('never_signed_in_after_days'),
  warnBeforeDays: integer('warn_before_days'),
  exemptRoleKeys: text('exempt_role_keys').array().notNull().default(sql`'{}'::text[]`),
  /** Circuit breaker: a run that would suspend or deprovision more than this share (percent) of active accounts halts. */
  maxSharePercent: integer('max_share_percent').notNull().default(10),
  /** Circuit breaker: …or more than this many accounts (null: no count limit). */
  maxCount: integer('max_count'),
  updatedAt: updatedAt(),
  updatedBy: text('updated_by'),
});

export const reconcileSourceKindEnum = pgEnum('reconcile_source_kind', ['csv', 'scim']);
export const reconcileOutcomeEnum = pgEnum('reconcile_outcome', ['running', 'completed', 'halted', 'failed']);
export const reconcileCategoryEnum = pgEnum('reconcile_category', ['matched', 'drift', 'orphan', 'stale', 'missing', 'conflict']);

/** What a reconciliation does about each category of finding (lib/reconcile/policy.ts validates the pairs). */
export type RemediationPolicy = Partial<Record<'drift' | 'orphan' | 'stale' | 'missing' | 'conflict', 'report' | 'suspend' | 'deprovision' | 'update' | 'review'>>;
/** A source's saved mapping (lib/sources/types.ts) and how its dates are written. */
export type ReconcileMapping = SourceMapping & { dateFormat?: string };

/**
 * An authoritative source an organization reconciles its accounts against (lib/reconcile): an HR
 * export (csv: its column and status mapping, optionally a file read on schedule) or the
 * organization's SCIM directory. Remediation per category (default: report only), the row-count
 * sanity check, and the circuit breaker's limits (null: the organization's dormancy limits).
 */
export const reconcileSources = pgTable(
  'reconcile_sources',
  {
    id: id(),
    organizationId: orgId().references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: reconcileSourceKindEnum('kind').notNull(),
    mapping: jsonb('mapping').$type<ReconcileMapping>().notNull().default({ columns: {}, statuses: {} }),
    remediation: jsonb('remediation').$type<RemediationPolicy>().notNull().default({}),
    /** csv: the file the scheduled `reconcile` job reads. */
    filePath: text('file_path'),
    scheduleEnabled: boolean('schedule_enabled').notNull().default(false),
    /** Sanity: a run whose row count fell by more than this share (percent) against the last completed run halts. */
    maxRowDropPercent: integer('max_row_drop_percent').notNull().default(20),
    /** Circuit breaker (null: the organization's dormancy policy limits, else 10% and no count limit). */
    maxSharePercent: integer('max_share_percent'),
    maxCount: integer('max_count'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('reconcile_sources_org_name_unique').on(t.organizationId, sql`lower(${t.name})`),
    unique('reconcile_sources_id_org_unique').on(t.id, t.organizationId),
  ],
);

/**
 * One reconciliation of a source: what was read (rows, bad rows with their lines, the file's
 * checksum), the findings' counts by category, what is new and resolved against the previous run,
 * what was done, and how it ended. A halted run (sanity check or circuit breaker) changed nothing;
 * a `confirmable` one may be confirmed by an admin (`confirms_run_id` on the run that proceeds).
 */
export const reconcileRuns = pgTable(
  'reconcile_runs',
  {
    id: id(),
    organizationId: orgId(),
    sourceId: uuid('source_id').notNull(),
    /** The job run that made it, when the `reconcile` job did. */
    jobRunId: uuid('job_run_id').references(() => jobRuns.id, { onDelete: 'set null' }),
    dryRun: boolean('dry_run').notNull().default(false),
    /** schedule | cli | console */
    trigger: text('trigger').notNull(),
    startedBy: text('started_by'),
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    outcome: reconcileOutcomeEnum('outcome').notNull().default('running'),
    haltReason: text('halt_reason'),
    /** Whether an admin may confirm the halt (the breaker, a row-count drop); never for bad rows or duplicate keys. */
    confirmable: boolean('confirmable').notNull().default(false),
    failureReason: text('failure_reason'),
    rowCount: integer('row_count').notNull().default(0),
    badRowCount: integer('bad_row_count').notNull().default(0),
    /** The first bad rows: { line, reason }. */
    badRows: jsonb('bad_rows').$type<{ line: number; reason: string }[]>().notNull().default([]),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    /** Planned (dry, halted) or applied (completed) remediation by action. */
    actions: jsonb('actions').$type<Record<string, number>>().notNull().default({}),
    newCount: integer('new_count').notNull().default(0),
    resolvedCount: integer('resolved_count').notNull().default(0),
    /** The run new and resolved findings are counted against. */
    previousRunId: uuid('previous_run_id'),
    filePath: text('file_path'),
    fileChecksum: text('file_checksum'),
    confirmsRunId: uuid('confirms_run_id').references((): AnyPgColumn => reconcileRuns.id, { onDelete: 'set null' }),
    confirmedBy: text('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('reconcile_runs_source_started_idx').on(t.sourceId, t.startedAt),
    index('reconcile_runs_org_started_idx').on(t.organizationId, t.startedAt),
    foreignKey({ name: 'reconcile_runs_source_fk', columns: [t.sourceId, t.organizationId], foreignColumns: [reconcileSources.id, reconcileSources.organizationId] }).onDelete('cascade'),
  ],
);

/**
 * A run's findings, except `matched` (counted on the run, not stored: a million agreeing rows would
 * be a million rows saying nothing). `finding_key` names the finding across runs (category and the
 * account, or the source key for findings without one), for new and resolved. A `review` finding of
 * a real run is open until an admin resolves it.
 */
export const reconcileFindings = pgTable(
  'reconcile_findings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: uuid('run_id')
      .notNull()
      .references(() => reconcileRuns.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    category: reconcileCategoryEnum('category').notNull(),
    accountId: uuid('account_id'),
    /** How the source names the person: `employeeNumber:E1`, `externalId:…`, `email:…` (null: an orphan, which the source does not name). */
    sourceKey: text('source_key'),
    line: integer('line'),
    findingKey: text('finding_key').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    /** What the policy plans: report | suspend | deprovision | update | review. */
    action: text('action').notNull().default('report'),
    /** What came of it on a real run: applied | skipped (and why in details.skipped). */
    actionOutcome: text('action_outcome'),
    isNew: boolean('is_new').notNull().default(true),
    /** open | resolved | dismissed (review findings of real runs). */
    reviewState: text('review_state'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
  },
  (t) => [
    index('reconcile_findings_run_category_idx').on(t.runId, t.category, t.id),
    index('reconcile_findings_run_key_idx').on(t.runId, t.findingKey),
    index('reconcile_findings_account_idx').on(t.organizationId, t.accountId).where(sql`${t.accountId} is not null`),
    index('reconcile_findings_open_review_idx').on(t.organizationId).where(sql`${t.reviewState} = 'open'`),
  ],
);

/**
 * The shape of one run's staged source records (the columns are a SourceRecord). Each run loads its
 * records with COPY into a table of its own made LIKE this one, UNLOGGED (scratch data), and drops
 * it when the run ends: no million-row DELETE, no dead rows to vacuum, statistics of its own
 * (db/queries/reconcile-staging.ts). Tables of runs that died are dropped by the next run. This
 * table itself stays empty.
 */
export const reconcileStagedRecords = pgTable(
  'reconcile_staged_records',
  {
  runId: uuid('run_id').notNull(),
  line: integer('line').notNull(),
  employeeNumber: text('employee_number'),
  externalId: text('external_id'),
  email: text('email'),
  /** SCIM-directory source: the account the pushed person is (its SCIM id). */
  accountId: uuid('account_id'),
  active: boolean('active'),
  startDate: date('start_date', { mode: 'string' }),
  endDate: date('end_date', { mode: 'string' }),
  userName: text('user_name'),
  displayName: text('display_name'),
  givenName: text('given_name'),
  familyName: text('family_name'),
  department: text('department'),
  title: text('title'),
  manager: text('manager'),
  extraAttributes: jsonb('extra_attributes').$type<Record<string, string>>(),
  },
  // From migration 0020, when runs shared this table; it stays empty now (the run tables are made LIKE it, without indexes).
  (t) => [index('reconcile_staged_records_run_idx').using('brin', t.runId)],
);

export type ReconcileSource = typeof reconcileSources.$inferSelect;
export type NewReconcileSource = typeof reconcileSources.$inferInsert;
export type ReconcileRun = typeof reconcileRuns.$inferSelect;
export type ReconcileFinding = typeof reconcileFindings.$inferSelect;
export type ReconcileCategory = (typeof reconcileCategoryEnum.enumValues)[number];
