import type { Door, WriteMode } from '@/lib/model/account';

/**
 * Every audit event Roster writes: its name, what it is about, and the type of its `data`. The
 * recorder (record-event.ts) accepts only these, so an event's shape is decided here once; the
 * console's audit filters and the CSV export read the same list.
 */
/** On the events a bulk action's commands record (lib/lifecycle/bulk): the run they belong to. */
type RunRef = { runId?: string };
/** A job's change (lib/jobs) carries the job and, for dormancy, the policy clause that decided it. */
type JobRef = { job?: string; clause?: string };
/** A reconciliation's remediation (lib/reconcile) carries the finding it acts on and its category. */
type FindingRef = { findingId?: number; category?: string };
type StatusData = { reason: string | null; sessionsRevoked: number } & RunRef & JobRef & FindingRef;
type RoleData = {
  roleId: string;
  roleKey?: string | null;
  source: 'birthright' | 'group' | 'manual';
  sourceRef: string;
  expiresAt?: string | null;
  reason?: string | null;
} & RunRef;

/** The console's bulk actions (lib/lifecycle/bulk/run-bulk-action.ts). */
export const bulkActions = ['suspend', 'restore', 'grant_role', 'revoke_role'] as const;
export type BulkActionName = (typeof bulkActions)[number];
type BulkRunData = {
  runId: string;
  action: BulkActionName;
  dryRun: boolean;
  /** Distinct account ids the run was given. */
  requested: number;
  roleKey: string | null;
  expiresAt: string | null;
  reason: string | null;
};
/** A birthright rule change applied to every affected account at once (lib/lifecycle/rules/apply-rule-change.ts). */
type RuleChangeData = {
  runId: string;
  name: string;
  roleKey: string;
  connectionId: string | null;
  enabled: boolean;
  /** Assignments of the rule granted and revoked, and the distinct accounts they concern. */
  granted: number;
  revoked: number;
  accounts: number;
  /** Past the organization's mass-change limit: the number the admin typed. */
  confirmedOver: number | null;
};
type BulkCounts = { changed: number; unchanged: number; refused: number; byOutcome: Record<string, number> };

export type AuditEventData = {
  'account.created': { connectionId?: string | null; subject?: string | null; via: Door };
  'account.jit_created': { connectionId: string; subject: string };
  'account.scim_created': { connectionId: string | null };
  'account.updated': { via: Door; mode?: WriteMode; connectionId?: string | null } & RunRef & JobRef & FindingRef;
  'account.scim_linked': { source: string; connectionId: string | null };
  'account.suspended': StatusData;
  'account.restored': StatusData;
  'account.deprovisioned': StatusData;
  'account.pending_approval': StatusData;
  'account.restore_held': { reason: 'security_hold'; holdReason: string | null; heldBy: string | null };
  'account.security_hold_placed': { reason: string };
  'account.security_hold_lifted': { reason: string | null };
  'account.link_conflict': { source: 'scim' | 'login'; matchKey: string; candidateIds: string[] } & Record<string, unknown>;
  'account.purged': RunRef;
  'identity.linked': { connectionId: string; subject: string; via: 'jit_create' | 'scim_match' | 'admin_link' };
  'conflict.resolved': { decision: 'link' | 'keep_apart'; accountId: string | null; source: string; matchKey: string; candidateIds: string[] };
  'role.granted': RoleData;
  'role.revoked': RoleData;
  'role.expiry_changed': RoleData & { previousExpiresAt: string | null };
  'group.created': Record<string, never>;
  'group.updated': Record<string, never>;
  'group.deleted': Record<string, never>;
  'group.members_changed': { added: string[]; removed: string[] };
  'group.member_removed': { accountId: string; reason: string } & RunRef;
  /** lib/lifecycle/group/change-group-role.ts: the run its grants and revokes carry, and their counts (older events: none). */
  'group.role_mapped': { runId?: string; granted?: number; revoked?: number; accounts?: number; confirmedOver?: number | null };
  'login.succeeded': { connectionId: string; protocol: 'oidc' | 'saml'; sessionId: string; jitCreated: boolean };
  'login.rejected': { reason: string; detail: string | null; connectionId: string | null; protocol?: 'oidc' | 'saml' | null; subject: string | null };
  'session.closed': { sessionId: string; reason: string };
  'account.sessions_revoked': { reason: string | null; sessionsRevoked: number };
  'admin.action_refused': { action: string; reason: string };
  'bulk.started': BulkRunData & { limit: number; confirmedOver: number | null };
  'bulk.finished': BulkRunData & BulkCounts & { failed: string | null };
  'scim_token.created': { name: string; tokenPrefix: string; connectionId: string | null };
  'scim_token.revoked': { name: string; tokenPrefix: string };
  'connection.created': Record<string, unknown>;
  // connection changes (lib/lifecycle/connection)
  'connection.updated': { name: string; changed: string[] };
  'connection.disabled': { name: string; accounts: number; sessionsRevoked: number };
  'connection.enabled': { name: string };
  'connection.deleted': { name: string; protocol: 'oidc' | 'saml'; accounts: number; identities: number; onlyWayIn: number; sessionsRevoked: number; rolesRevoked: number; forced: boolean };
  // a test sign-in's result (lib/connections/test-sign-in.ts); `preview` is lib/jit/preview-login.ts's LoginPreview
  // the claim mapping page (lib/lifecycle/connection/update-mapping.ts): the fields whose claim names changed
  'connection.mapping_updated': { name: string; fields: string[] };
  'connection.test_sign_in': { name: string; protocol: 'oidc' | 'saml'; outcome: 'create' | 'update' | 'link' | 'refused'; reason: string | null; detail: string | null; preview: Record<string, unknown> | null };
  'organization.created': Record<string, unknown>;
  'organization.demo_seeded': Record<string, unknown>;
  'organization.settings_changed': { changed: string[] };
  // governance: role expiry and account end dates (lib/jobs/definitions/role-expiry.ts, account-end-date.ts)
  'role.expired': RoleData & { runId: string; expiresAt: string };
  'account.end_date_set': { via: Door; endsAt: string };
  'account.end_date_cleared': { via: Door };
  'account.ended': { runId: string; endsAt: string };
  'account.end_date_ignored': { via: Door; value: string; reason: string };
  // jobs (lib/jobs/run-job.ts): an admin lets a run the circuit breaker halted proceed
  'job.run_confirmed': { job: string; runId: string; counts: Record<string, number>; trigger: string };
  // governance: dormancy
  'dormancy.policy_changed': { created: boolean };
  'dormancy.warned': { runId: string; job: 'dormancy'; clause: string; suspendFrom: string | null };
  'dormancy.warning_cancelled': { runId: string; job: 'dormancy'; warnedAt: string; lastActivityAt: string | null };
  'dormancy.exempt_changed': { exempt: boolean; reason: string | null };
  'scim.activation_deferred': { reason: 'dormancy'; dormancySuspendedAt: string | null };
  // birthright rules (lib/lifecycle/rules)
  'rule.created': RuleChangeData;
  'rule.updated': RuleChangeData;
  'rule.deleted': RuleChangeData;
  // governance: reconciliation (lib/reconcile)
  'reconcile.source_created': { name: string; kind: 'csv' | 'scim'; remediation: Record<string, string>; filePath: string | null; scheduleEnabled: boolean };
  'reconcile.run_finished': ReconcileRunData;
  'reconcile.run_confirmed': { runId: string; sourceId: string; source: string; confirmedChanges: number };
  'reconcile.review_resolved': { runId: string; findingId: number; category: string; resolution: 'resolved' | 'dismissed'; note: string | null };
  // SAML metadata refresh from the connection's metadata URL (lib/lifecycle/connection/refresh-saml-metadata.ts)
  'connection.metadata_refreshed': MetadataRefreshData & {
    /** What changed: certificates, ssoUrl, ssoBinding; empty when the metadata said what was stored (nothing written). */
    changed: string[];
    certificatesAdded: CertificateRef[];
    certificatesRemoved: CertificateRef[];
  };
  'connection.metadata_refresh_failed': MetadataRefreshData & { reason: string; message: string; storedEntityId?: string; foundEntityId?: string };
};

/** A SAML signing certificate as the audit trail names it: its SHA-256 fingerprint and its expiry. */
type CertificateRef = { fingerprint: string; subject: string; notAfter: string };
type MetadataRefreshData = { name: string; metadataUrl: string; runId?: string };

/** How a reconciliation run ended, with its figures (the run's own row has the rest). */
type ReconcileRunData = {
  runId: string;
  sourceId: string;
  source: string;
  dryRun: boolean;
  outcome: 'completed' | 'halted' | 'failed';
  haltReason: string | null;
  failureReason: string | null;
  rowCount: number;
  badRowCount: number;
  counts: Record<string, number>;
  actions: Record<string, number>;
  newCount: number;
  resolvedCount: number;
  confirmsRunId: string | null;
  /** Set when the scheduled `reconcile` job made the run. */
  job?: string;
  jobRunId?: string;
};

export type AuditAction = keyof AuditEventData;

/** What each event is about, and a label for the console's filters. */
export const auditActions: Record<AuditAction, { target: string; label: string }> = {
  'account.created': { target: 'account', label: 'Account created' },
  'account.jit_created': { target: 'account', label: 'Account created at sign-in (JIT)' },
  'account.scim_created': { target: 'account', label: 'Account created by SCIM' },
  'account.updated': { target: 'account', label: 'Account attributes changed' },
  'account.scim_linked': { target: 'account', label: 'Account adopted by SCIM' },
  'account.suspended': { target: 'account', label: 'Account suspended' },
  'account.restored': { target: 'account', label: 'Account restored' },
  'account.deprovisioned': { target: 'account', label: 'Account deprovisioned' },
  'account.pending_approval': { target: 'account', label: 'Account waiting for approval' },
  'account.restore_held': { target: 'account', label: 'Restore held by a security hold' },
  'account.security_hold_placed': { target: 'account', label: 'Security hold placed' },
  'account.security_hold_lifted': { target: 'account', label: 'Security hold lifted' },
  'account.link_conflict': { target: 'link_conflict', label: 'Link conflict held for an admin' },
  'account.purged': { target: 'account', label: 'Personal data purged' },
  'identity.linked': { target: 'account', label: 'Sign-in identity linked' },
  'conflict.resolved': { target: 'link_conflict', label: 'Link conflict resolved' },
  'role.granted': { target: 'account', label: 'Role granted' },
  'role.revoked': { target: 'account', label: 'Role revoked' },
  'role.expiry_changed': { target: 'account', label: 'Role expiry changed' },
  'group.created': { target: 'group', label: 'Group created' },
  'group.updated': { target: 'group', label: 'Group renamed' },
  'group.deleted': { target: 'group', label: 'Group deleted' },
  'group.members_changed': { target: 'group', label: 'Group members changed' },
  'group.member_removed': { target: 'group', label: 'Member removed from group' },
  'group.role_mapped': { target: 'group', label: 'Group mapped to a role' },
  'login.succeeded': { target: 'account', label: 'Signed in' },
  'login.rejected': { target: 'account', label: 'Sign-in refused' },
  'session.closed': { target: 'account', label: 'Signed out' },
  'account.sessions_revoked': { target: 'account', label: 'Sessions revoked' },
  'admin.action_refused': { target: 'account', label: 'Admin action refused' },
  'bulk.started': { target: 'bulk_run', label: 'Bulk action started' },
  'bulk.finished': { target: 'bulk_run', label: 'Bulk action finished' },
  'scim_token.created': { target: 'scim_token', label: 'SCIM token created' },
  'scim_token.revoked': { target: 'scim_token', label: 'SCIM token revoked' },
  'connection.created': { target: 'connection', label: 'Connection created' },
  'connection.updated': { target: 'connection', label: 'Connection changed' },
  'connection.disabled': { target: 'connection', label: 'Connection disabled' },
  'connection.enabled': { target: 'connection', label: 'Connection enabled' },
  'connection.deleted': { target: 'connection', label: 'Connection deleted' },
  'connection.test_sign_in': { target: 'connection', label: 'Test sign-in' },
  'connection.mapping_updated': { target: 'connection', label: 'Claim mapping changed' },
  'organization.created': { target: 'organization', label: 'Organization created' },
  'organization.demo_seeded': { target: 'organization', label: 'Demo organization seeded' },
  'organization.settings_changed': { target: 'organization', label: 'Organization settings changed' },
  // governance: role expiry and account end dates
  'role.expired': { target: 'account', label: 'Role expired' },
  'account.end_date_set': { target: 'account', label: 'End date set' },
  'account.end_date_cleared': { target: 'account', label: 'End date cleared' },
  'account.ended': { target: 'account', label: 'Account ended (end date passed)' },
  'account.end_date_ignored': { target: 'account', label: 'End date from the IdP ignored' },
  'job.run_confirmed': { target: 'job_run', label: 'Halted job run confirmed' },
  // governance: dormancy
  'dormancy.policy_changed': { target: 'organization', label: 'Dormancy policy changed' },
  'dormancy.warned': { target: 'account', label: 'Warned of suspension for dormancy' },
  'dormancy.warning_cancelled': { target: 'account', label: 'Dormancy warning cancelled by activity' },
  'dormancy.exempt_changed': { target: 'account', label: 'Dormancy exemption changed' },
  'scim.activation_deferred': { target: 'account', label: 'SCIM activation kept suspended (dormancy)' },
  // birthright rules
  'rule.created': { target: 'rule', label: 'Birthright rule created' },
  'rule.updated': { target: 'rule', label: 'Birthright rule changed' },
  'rule.deleted': { target: 'rule', label: 'Birthright rule deleted' },
  // governance: reconciliation
  'reconcile.source_created': { target: 'reconcile_source', label: 'Reconciliation source created' },
  'reconcile.run_finished': { target: 'reconcile_run', label: 'Reconciliation run finished' },
  'reconcile.run_confirmed': { target: 'reconcile_run', label: 'Halted reconciliation confirmed' },
  'reconcile.review_resolved': { target: 'reconcile_run', label: 'Reconciliation review resolved' },
  // SAML metadata refresh
  'connection.metadata_refreshed': { target: 'connection', label: 'SAML metadata refreshed' },
  'connection.metadata_refresh_failed': { target: 'connection', label: 'SAML metadata refresh failed' },
};

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(auditActions, value);
}
