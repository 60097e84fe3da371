import { describe, expect, it } from 'vitest';
import { describeChanges, describeEvent, type DescribableEvent, type NameBook } from './describe';
import { auditActions, type AuditAction } from './events';

const ID = {
  alice: 'a11ce000-0000-4000-8000-000000000001',
  bob: 'b0b00000-0000-4000-8000-000000000002',
  carol: 'ca401000-0000-4000-8000-000000000003',
  dana: 'da4a0000-0000-4000-8000-000000000004',
  okta: '0c1a0000-0000-4000-8000-000000000005',
  entra: 'e47a0000-0000-4000-8000-000000000006',
  token: '70ce4000-0000-4000-8000-000000000007',
  sales: '5a1e5000-0000-4000-8000-000000000008',
  auditor: 'a0d17000-0000-4000-8000-000000000009',
  rule: '4c1e0000-0000-4000-8000-00000000000a',
  run: '4c40000a-0000-4000-8000-00000000000b',
};
const names: NameBook = {
  accounts: { [ID.alice]: 'Alice Anders', [ID.bob]: 'Bob Brown', [ID.carol]: 'Carol', [ID.dana]: 'Dana Admin' },
  connections: new Map([[ID.okta, 'Okta'], [ID.entra, 'Entra ID']]),
  groups: { [ID.sales]: 'Sales EU' },
  scimTokens: { [ID.token]: 'Entra ID' },
  roles: { [ID.auditor]: 'Auditor' },
  rules: { [ID.rule]: 'Engineers' },
};

const admin = { actorType: 'admin', actorId: ID.dana } as const;
const scim = { actorType: 'scim', actorId: ID.token } as const;
const user = { actorType: 'user', actorId: 'okta-subject-1' } as const;
const on = (id: string) => ({ targetType: 'account', targetId: id });
const ev = (action: AuditAction, rest: Partial<DescribableEvent>): DescribableEvent => ({ action, actorType: 'system', actorId: null, targetType: null, targetId: null, ...rest });
const role = (extra: Record<string, unknown> = {}) => ({ roleId: ID.auditor, roleKey: 'auditor', source: 'manual', sourceRef: '', expiresAt: null, reason: null, ...extra });

/** At least one event of every action in events.ts, and its sentence (the type, and the first test, make a new action need one). */
const cases: { [A in AuditAction]: [DescribableEvent, string][] } = {
  'account.created': [[ev('account.created', { ...admin, ...on(ID.carol), data: { via: 'admin' } }), 'Carol was created by Dana Admin']],
  'account.jit_created': [[ev('account.jit_created', { ...user, ...on(ID.bob), data: { connectionId: ID.okta, subject: 's' } }), 'Bob Brown was created at first sign-in through Okta']],
  'account.scim_created': [[ev('account.scim_created', { ...scim, ...on(ID.alice), data: { connectionId: null } }), 'Alice Anders was provisioned by SCIM (Entra ID)']],
  'account.updated': [
    [ev('account.updated', { ...admin, ...on(ID.carol), before: { title: 'Dev', department: null }, after: { title: 'Lead', department: 'R&D' }, data: { via: 'admin' } }), 'Carol was updated by Dana Admin: Department and Title'],
    [ev('account.updated', { ...user, ...on(ID.bob), before: { department: 'Sales' }, after: { department: 'Eng' }, data: { via: 'jit' } }), 'Bob Brown’s attributes were updated at sign-in: Department'],
  ],
  'account.scim_linked': [[ev('account.scim_linked', { ...scim, ...on(ID.bob), data: { source: 'jit', connectionId: null } }), 'Bob Brown (created at sign-in) was adopted by SCIM (Entra ID)']],
  'account.suspended': [
    [ev('account.suspended', { ...scim, ...on(ID.alice), data: { reason: 'scim: active=false', sessionsRevoked: 0 } }), 'Alice Anders was suspended by SCIM (Entra ID)'],
    [ev('account.suspended', { ...admin, ...on(ID.bob), data: { reason: 'offboarding', sessionsRevoked: 2, runId: ID.run } }), 'Bob Brown was suspended by Dana Admin: offboarding; 2 sessions ended (bulk action)'],
    [
      ev('account.suspended', { actorType: 'system', actorId: 'dormancy', ...on(ID.bob), data: { reason: null, sessionsRevoked: 1, runId: ID.run, job: 'dormancy', clause: 'no activity for 91 days (last 2026-09-01); suspend after 90' } }),
      'Bob Brown was suspended by Roster (dormancy); 1 session ended (dormancy job: no activity for 91 days (last 2026-09-01); suspend after 90)',
    ],
  ],
  'account.restored': [[ev('account.restored', { ...admin, ...on(ID.alice), data: { reason: null, sessionsRevoked: 0 } }), 'Alice Anders was restored by Dana Admin']],
  'account.deprovisioned': [[ev('account.deprovisioned', { ...scim, ...on(ID.alice), data: { reason: 'scim: DELETE', sessionsRevoked: 1 } }), 'Alice Anders was deprovisioned by SCIM (Entra ID); 1 session ended']],
  'account.pending_approval': [[ev('account.pending_approval', { ...admin, ...on(ID.carol), data: { reason: null, sessionsRevoked: 0 } }), 'Carol was set to wait for approval by Dana Admin']],
  'account.restore_held': [
    [ev('account.restore_held', { ...scim, ...on(ID.alice), data: { reason: 'security_hold', holdReason: 'stolen laptop', heldBy: ID.dana } }), 'SCIM (Entra ID) asked to restore Alice Anders, but a security hold by Dana Admin keeps it suspended: stolen laptop'],
  ],
  'account.security_hold_placed': [[ev('account.security_hold_placed', { ...admin, ...on(ID.alice), data: { reason: 'stolen laptop' } }), 'Dana Admin placed a security hold on Alice Anders: stolen laptop']],
  'account.security_hold_lifted': [[ev('account.security_hold_lifted', { ...admin, ...on(ID.alice), data: { reason: null } }), 'Dana Admin lifted the security hold on Alice Anders']],
  'account.link_conflict': [
    [ev('account.link_conflict', { ...scim, targetType: 'link_conflict', targetId: 'x', data: { source: 'scim', matchKey: 'k', candidateIds: [ID.alice, ID.bob] } }), 'A SCIM push by SCIM (Entra ID) could be any of 2 accounts (Alice Anders and Bob Brown): held for an administrator'],
    [ev('account.link_conflict', { ...user, targetType: 'link_conflict', targetId: 'x', data: { source: 'login', matchKey: 'k', candidateIds: [ID.carol] } }), 'A sign-in could be Carol: held for an administrator'],
  ],
  'account.purged': [[ev('account.purged', { actorType: 'system', actorId: 'purge-deprovisioned', ...on(ID.alice) }), 'The personal data of Alice Anders was purged by Roster (purge-deprovisioned)']],
  'identity.linked': [[ev('identity.linked', { ...user, ...on(ID.bob), data: { connectionId: ID.okta, subject: 's', via: 'jit_create' } }), 'A sign-in identity of Okta was linked to Bob Brown']],
  'conflict.resolved': [
    [ev('conflict.resolved', { ...admin, targetType: 'link_conflict', targetId: 'x', data: { decision: 'link', accountId: ID.bob, source: 'login', matchKey: 'k', candidateIds: [ID.alice, ID.bob] } }), 'Dana Admin resolved a link conflict: the sign-in belongs to Bob Brown'],
    [ev('conflict.resolved', { ...admin, targetType: 'link_conflict', targetId: 'x', data: { decision: 'keep_apart', accountId: null, source: 'scim', matchKey: 'k', candidateIds: [ID.alice, ID.bob] } }), 'Dana Admin resolved a link conflict: the SCIM push is kept apart from Alice Anders and Bob Brown'],
  ],
  'role.granted': [
    [ev('role.granted', { ...admin, ...on(ID.carol), data: role({ expiresAt: '2027-01-03T10:00:00.000Z' }) }), 'Carol was granted the role Auditor by Dana Admin until 3 Jan 2027'],
    [ev('role.granted', { ...user, ...on(ID.bob), data: role({ roleId: 'r-eng', roleKey: 'engineering', source: 'birthright', sourceRef: `rule:${ID.rule}` }) }), 'Bob Brown was granted the role engineering through the rule Engineers at sign-in'],
    [ev('role.granted', { ...scim, ...on(ID.alice), data: role({ source: 'group', sourceRef: `group:${ID.sales}` }) }), 'Alice Anders was granted the role Auditor through the group Sales EU by SCIM (Entra ID)'],
    [ev('role.granted', { ...user, ...on(ID.bob), data: role({ source: 'birthright', sourceRef: `connection:${ID.okta}` }) }), 'Bob Brown was granted the role Auditor as the default role of Okta at sign-in'],
  ],
  'role.revoked': [
    [ev('role.revoked', { ...admin, ...on(ID.carol), data: role({ reason: 'audit over', runId: ID.run }) }), 'Carol’s role Auditor was revoked by Dana Admin: audit over (bulk action)'],
    [ev('role.revoked', { ...scim, ...on(ID.alice), data: role({ source: 'group', sourceRef: `group:${ID.sales}` }) }), 'Alice Anders’ role Auditor (given through the group Sales EU) was revoked by SCIM (Entra ID)'],
  ],
  'role.expiry_changed': [
    [ev('role.expiry_changed', { ...admin, ...on(ID.carol), data: { ...role({ expiresAt: null }), previousExpiresAt: '2027-01-03T00:00:00.000Z' } }), 'Carol’s role Auditor now lasts with no end date (before: until 3 Jan 2027), set by Dana Admin'],
  ],
  'group.created': [[ev('group.created', { ...scim, targetType: 'group', targetId: ID.sales, after: { displayName: 'Sales EU' } }), 'The group Sales EU was created by SCIM (Entra ID)']],
  'group.updated': [[ev('group.updated', { ...scim, targetType: 'group', targetId: ID.sales, before: { displayName: 'Sales' }, after: { displayName: 'Sales EU' } }), 'The group Sales was renamed to Sales EU by SCIM (Entra ID)']],
  'group.deleted': [[ev('group.deleted', { ...scim, targetType: 'group', targetId: 'gone-group-id', before: { displayName: 'Old', members: 3 } }), 'The group Old was deleted by SCIM (Entra ID)']],
  'group.members_changed': [
    [ev('group.members_changed', { ...scim, targetType: 'group', targetId: ID.sales, data: { added: [ID.alice, ID.bob], removed: [ID.carol] } }), 'SCIM (Entra ID) added Alice Anders and Bob Brown to the group Sales EU and removed Carol'],
    [ev('group.members_changed', { ...scim, targetType: 'group', targetId: ID.sales, data: { added: [], removed: [ID.alice, ID.bob, ID.carol, ID.dana] } }), 'SCIM (Entra ID) removed Alice Anders, Bob Brown and 2 others from the group Sales EU'],
  ],
  'group.member_removed': [[ev('group.member_removed', { ...scim, targetType: 'group', targetId: ID.sales, data: { accountId: ID.alice, reason: 'deprovisioned' } }), 'Alice Anders left the group Sales EU: deprovisioned']],
  'group.role_mapped': [
    [ev('group.role_mapped', { ...admin, targetType: 'group', targetId: ID.sales, before: { roleId: null }, after: { roleId: ID.auditor, roleKey: 'auditor' } }), 'The group Sales EU now gives the role Auditor, set by Dana Admin'],
    [ev('group.role_mapped', { ...admin, targetType: 'group', targetId: ID.sales, before: { roleId: ID.auditor }, after: { roleId: null, roleKey: null } }), 'The group Sales EU no longer gives a role, set by Dana Admin'],
    [
      ev('group.role_mapped', { ...admin, targetType: 'group', targetId: ID.sales, before: { roleId: null, roleKey: null }, after: { roleId: ID.auditor, roleKey: 'auditor' }, data: { runId: ID.run, granted: 3, revoked: 0, accounts: 3, confirmedOver: null } }),
      'The group Sales EU now gives the role Auditor, set by Dana Admin; 3 accounts gained the role',
    ],
  ],
  'login.succeeded': [[ev('login.succeeded', { ...user, ...on(ID.bob), data: { connectionId: ID.okta, protocol: 'oidc', sessionId: 's', jitCreated: false } }), 'Bob Brown signed in through Okta']],
  'login.rejected': [
    [ev('login.rejected', { ...user, targetType: 'connection', targetId: ID.okta, data: { reason: 'domain_not_allowed', detail: null, connectionId: ID.okta, subject: null } }), 'A sign-in through Okta was refused: the email domain is not allowed'],
    [ev('login.rejected', { ...user, ...on(ID.bob), data: { reason: 'account_suspended', detail: null, connectionId: ID.okta, subject: 's' } }), 'A sign-in of Bob Brown through Okta was refused: the account is suspended'],
    [ev('login.rejected', { actorType: 'user', actorId: null, data: { reason: 'unknown_connection', detail: null, connectionId: null, subject: null } }), 'A sign-in was refused: no such identity provider connection'],
  ],
  'account.sessions_revoked': [[ev('account.sessions_revoked', { ...admin, ...on(ID.bob), data: { reason: null, sessionsRevoked: 2 } }), 'Every session of Bob Brown was ended by Dana Admin (2)']],
  'session.closed': [
    [ev('session.closed', { actorType: 'user', actorId: ID.bob, ...on(ID.bob), data: { sessionId: 's', reason: 'signed out' } }), 'Bob Brown signed out'],
    [ev('session.closed', { ...admin, ...on(ID.bob), data: { sessionId: 's', reason: 'lost phone' } }), 'A session of Bob Brown was ended by Dana Admin: lost phone'],
  ],
  'admin.action_refused': [[ev('admin.action_refused', { actorType: 'user', actorId: ID.bob, ...on(ID.bob), data: { action: 'accounts.suspend', reason: 'not an administrator' } }), 'Bob Brown was refused the admin action accounts.suspend: not an administrator']],
  'scim_token.created': [[ev('scim_token.created', { actorType: 'cli', actorId: 'root', targetType: 'scim_token', targetId: 'new-token', data: { name: 'Okta push', tokenPrefix: 'rst_', connectionId: null } }), 'The SCIM token Okta push was created by root (CLI)']],
  'scim_token.revoked': [[ev('scim_token.revoked', { ...admin, targetType: 'scim_token', targetId: ID.token, data: { name: 'old', tokenPrefix: 'rst_' } }), 'The SCIM token Entra ID was revoked by Dana Admin']],
  'connection.created': [[ev('connection.created', { actorType: 'cli', actorId: null, targetType: 'connection', targetId: ID.okta, after: { name: 'Okta', protocol: 'oidc' } }), 'The connection Okta was created by the CLI']],
  'connection.updated': [[ev('connection.updated', { ...admin, targetType: 'connection', targetId: ID.okta, data: { name: 'Okta', changed: ['allowedDomains', 'clientSecret'] } }), 'The connection Okta was changed by Dana Admin: domains, client secret']],
  'connection.disabled': [[ev('connection.disabled', { ...admin, targetType: 'connection', targetId: ID.okta, data: { name: 'Okta', accounts: 12, sessionsRevoked: 1 } }), 'The connection Okta was disabled by Dana Admin: its sign-ins are refused, 1 session through it ended, its 12 accounts kept']],
  'connection.enabled': [[ev('connection.enabled', { actorType: 'cli', actorId: 'root', targetType: 'connection', targetId: ID.okta, data: { name: 'Okta' } }), 'The connection Okta was enabled again by root (CLI)']],
  'connection.mapping_updated': [[ev('connection.mapping_updated', { ...admin, targetType: 'connection', targetId: ID.okta, data: { name: 'Okta', fields: ['department', 'extra.costCenter'] } }), 'The claim mapping of the connection Okta was changed by Dana Admin: department, extra.costCenter']],
  'connection.test_sign_in': [
    [ev('connection.test_sign_in', { ...admin, targetType: 'connection', targetId: ID.okta, data: { name: 'Okta', protocol: 'oidc', outcome: 'create', reason: null, detail: null, preview: {} } }), 'Dana Admin tested a sign-in through Okta: it would create an account, and changed nothing'],
    [ev('connection.test_sign_in', { ...admin, targetType: 'connection', targetId: ID.okta, data: { name: 'Okta', protocol: 'oidc', outcome: 'refused', reason: 'domain_not_allowed', detail: 'elsewhere.org', preview: {} } }), 'Dana Admin tested a sign-in through Okta and it was refused: the email domain is not allowed'],
  ],
  'connection.deleted': [[ev('connection.deleted', { ...admin, targetType: 'connection', targetId: ID.entra, data: { name: 'Old Entra', protocol: 'saml', accounts: 2, identities: 2, onlyWayIn: 1, sessionsRevoked: 0, rolesRevoked: 3, forced: true } }), 'The connection Old Entra was deleted by Dana Admin: 2 sign-in identities of 2 accounts deleted (the accounts kept), 0 sessions ended, 3 default role grants revoked']],
  'organization.created': [[ev('organization.created', { actorType: 'cli', actorId: 'root', targetType: 'organization', targetId: 'o', after: { slug: 'acme', name: 'Acme Corp' } }), 'The organization Acme Corp was created by root (CLI)']],
  'organization.demo_seeded': [[ev('organization.demo_seeded', { actorType: 'system', actorId: 'seed-demo', targetType: 'organization', targetId: 'o', data: {} }), 'The demo organization was set up by Roster (seed-demo)']],
  'organization.settings_changed': [
    [ev('organization.settings_changed', { ...admin, targetType: 'organization', targetId: 'o', data: { changed: ['purgeDeprovisionedAfterDays', 'sessionMaxAgeSeconds'] } }), 'The organization settings were changed by Dana Admin: purge after, session lifetime'],
  ],
  // governance: role expiry and account end dates
  'role.expired': [[ev('role.expired', { ...on(ID.carol), data: { ...role({ expiresAt: '2027-01-03T10:00:00.000Z' }), runId: ID.run } }), 'Carol’s role Auditor ended by itself at 3 Jan 2027, 10:00 UTC and was revoked by Roster']],
  'account.end_date_set': [[ev('account.end_date_set', { ...admin, ...on(ID.carol), before: { endsAt: null }, after: { endsAt: '2027-03-31T00:00:00.000Z' }, data: { via: 'admin', endsAt: '2027-03-31T00:00:00.000Z' } }), 'Carol’s end date was set to 31 Mar 2027 by Dana Admin']],
  'account.end_date_cleared': [[ev('account.end_date_cleared', { ...admin, ...on(ID.carol), data: { via: 'admin' } }), 'Carol’s end date was cleared by Dana Admin']],
  'account.ended': [[ev('account.ended', { ...on(ID.bob), data: { runId: ID.run, endsAt: '2027-03-31T17:30:00.000Z' } }), 'Bob Brown reached the end date 31 Mar 2027, 17:30 UTC and was suspended by Roster']],
  'account.end_date_ignored': [[ev('account.end_date_ignored', { ...user, ...on(ID.bob), data: { via: 'jit', value: 'soon', reason: 'not an ISO 8601 date or time' } }), 'An end date sent for Bob Brown at sign-in was ignored: not an ISO 8601 date or time']],
  'job.run_confirmed': [
    [ev('job.run_confirmed', { ...admin, targetType: 'job_run', targetId: ID.run, data: { job: 'account-end-date', runId: ID.run, counts: { end: 120 }, trigger: 'console' } }), `Dana Admin confirmed the halted run ${ID.run.slice(0, 8)} of account-end-date: it may suspend 120 accounts past their end date`],
    [ev('job.run_confirmed', { actorType: 'cli', actorId: 'root', targetType: 'job_run', targetId: ID.run, data: { job: 'dormancy', runId: ID.run, counts: { warn: 0, suspend: 40 }, trigger: 'cli' } }), `Root (CLI) confirmed the halted run ${ID.run.slice(0, 8)} of dormancy: it may suspend 40 accounts`],
  ],
  'bulk.started': [
    [ev('bulk.started', { ...admin, targetType: 'bulk_run', targetId: ID.run, data: { runId: ID.run, action: 'suspend', dryRun: false, requested: 3412, roleKey: null, expiresAt: null, reason: 'offboarding', limit: 1000, confirmedOver: 3412 } }), 'Dana Admin started a bulk action: suspend 3,412 accounts: offboarding'],
    [ev('bulk.started', { ...admin, targetType: 'bulk_run', targetId: ID.run, data: { runId: ID.run, action: 'grant_role', dryRun: false, requested: 1, roleKey: 'auditor', expiresAt: '2027-01-03T00:00:00Z', reason: null } }), 'Dana Admin started a bulk action: grant the role auditor until 3 Jan 2027 to 1 account'],
  ],
  'bulk.finished': [
    [ev('bulk.finished', { ...admin, targetType: 'bulk_run', targetId: ID.run, data: { action: 'revoke_role', roleKey: 'auditor', requested: 12, changed: 10, unchanged: 1, refused: 1, failed: null } }), 'The bulk action revoke the role auditor from 12 accounts finished: 10 changed, 1 unchanged, 1 refused'],
    [ev('bulk.finished', { ...admin, targetType: 'bulk_run', targetId: ID.run, data: { action: 'suspend', requested: 1200, changed: 500, unchanged: 0, refused: 0, failed: 'connection lost' } }), 'The bulk action suspend 1,200 accounts stopped on an error after 500 changed, 0 unchanged, 0 refused: connection lost'],
  ],
  // governance: dormancy
  'dormancy.policy_changed': [[ev('dormancy.policy_changed', { ...admin, targetType: 'organization', targetId: 'o', data: { created: true } }), 'The dormancy policy was set by Dana Admin']],
  'dormancy.warned': [
    [
      ev('dormancy.warned', { actorType: 'system', actorId: 'dormancy', ...on(ID.bob), data: { runId: ID.run, job: 'dormancy', clause: 'no activity for 83 days (last 2026-09-01); suspend after 90, warning 7 days before', suspendFrom: '2026-11-30T00:00:00.000Z' } }),
      'Bob Brown was warned of suspension for dormancy (suspension from 30 Nov 2026): no activity for 83 days (last 2026-09-01); suspend after 90, warning 7 days before',
    ],
  ],
  'dormancy.warning_cancelled': [[ev('dormancy.warning_cancelled', { actorType: 'system', actorId: 'dormancy', ...on(ID.bob), data: { runId: ID.run, job: 'dormancy', warnedAt: '2026-11-20T00:00:00.000Z', lastActivityAt: '2026-11-22T10:00:00.000Z' } }), 'The dormancy warning of Bob Brown was cancelled: active again on 22 Nov 2026']],
  'dormancy.exempt_changed': [[ev('dormancy.exempt_changed', { ...admin, ...on(ID.carol), data: { exempt: true, reason: 'break-glass' } }), 'Carol was exempted from dormancy by Dana Admin: break-glass']],
  'scim.activation_deferred': [[ev('scim.activation_deferred', { ...scim, ...on(ID.alice), data: { reason: 'dormancy', dormancySuspendedAt: '2026-11-01T00:00:00.000Z' } }), 'SCIM (Entra ID) sent active for Alice Anders, which stays suspended: Roster suspended it for dormancy and the directory had not disabled it (an admin restores it)']],
  // birthright rules
  'rule.created': [
    [
      ev('rule.created', { ...admin, targetType: 'rule', targetId: ID.rule, data: { runId: ID.run, name: 'Engineers', roleKey: 'engineering', connectionId: null, enabled: true, granted: 1200, revoked: 0, accounts: 1200, confirmedOver: 1200 } }),
      'Dana Admin created the birthright rule Engineers (role engineering); 1,200 accounts gained the role (past the limit, confirmed for 1,200)',
    ],
  ],
  'rule.updated': [
    [
      ev('rule.updated', { ...admin, targetType: 'rule', targetId: ID.rule, before: { enabled: true }, after: { enabled: false }, data: { runId: ID.run, name: 'Engineers', roleKey: 'engineering', connectionId: null, enabled: false, granted: 0, revoked: 3, accounts: 3, confirmedOver: null } }),
      'Dana Admin disabled the birthright rule Engineers (role engineering); 3 accounts lost it',
    ],
    [
      ev('rule.updated', { ...admin, targetType: 'rule', targetId: ID.rule, before: { enabled: true }, after: { enabled: true }, data: { runId: ID.run, name: 'Engineers', roleKey: 'engineering', connectionId: null, enabled: true, granted: 2, revoked: 1, accounts: 3, confirmedOver: null } }),
      'Dana Admin changed the birthright rule Engineers (role engineering); 2 accounts gained the role and 1 account lost it',
    ],
  ],
  'rule.deleted': [
    [ev('rule.deleted', { actorType: 'cli', actorId: 'ops', targetType: 'rule', targetId: ID.rule, data: { runId: ID.run, name: 'Engineers', roleKey: 'engineering', connectionId: null, enabled: true, granted: 0, revoked: 0, accounts: 0, confirmedOver: null } }), 'Ops (CLI) deleted the birthright rule Engineers (role engineering); no account changed'],
  ],
  'reconcile.source_created': [[ev('reconcile.source_created', { ...admin, targetType: 'reconcile_source', targetId: ID.run, data: { name: 'Workday', kind: 'csv', remediation: {}, filePath: null, scheduleEnabled: false } }), 'The reconciliation source Workday (an HR export) was created by Dana Admin']],
  'reconcile.run_finished': [
    [
      ev('reconcile.run_finished', { actorType: 'system', actorId: 'reconcile', targetType: 'reconcile_run', targetId: ID.run, data: { runId: ID.run, sourceId: ID.run, source: 'Workday', dryRun: false, outcome: 'completed', haltReason: null, failureReason: null, rowCount: 10, badRowCount: 0, counts: { matched: 8, orphan: 2, drift: 0 }, actions: {}, newCount: 2, resolvedCount: 0, confirmsRunId: null } }),
      'The reconciliation of Workday completed: 8 matched and 2 orphan',
    ],
    [
      ev('reconcile.run_finished', { ...admin, targetType: 'reconcile_run', targetId: ID.run, data: { runId: ID.run, sourceId: ID.run, source: 'Workday', dryRun: false, outcome: 'halted', haltReason: '3 bad rows', failureReason: null, rowCount: 10, badRowCount: 3, counts: { stale: 1 }, actions: {}, newCount: 1, resolvedCount: 0, confirmsRunId: null } }),
      'The reconciliation of Workday halted before acting: 3 bad rows: 1 stale',
    ],
    [
      ev('reconcile.run_finished', { ...admin, targetType: 'reconcile_run', targetId: ID.run, data: { runId: ID.run, sourceId: ID.run, source: 'Workday', dryRun: true, outcome: 'failed', haltReason: null, failureReason: 'no column Email', rowCount: 0, badRowCount: 0, counts: {}, actions: {}, newCount: 0, resolvedCount: 0, confirmsRunId: null } }),
      'The reconciliation (dry run) of Workday failed: no column Email; nothing was changed',
    ],
  ],
  'reconcile.run_confirmed': [[ev('reconcile.run_confirmed', { ...admin, targetType: 'reconcile_run', targetId: ID.run, data: { runId: ID.run, sourceId: ID.run, source: 'Workday', confirmedChanges: 40 } }), 'Dana Admin confirmed the halted reconciliation 4c40000a of Workday: it may suspend or deprovision 40 accounts']],
  'reconcile.review_resolved': [[ev('reconcile.review_resolved', { ...admin, targetType: 'reconcile_run', targetId: ID.run, data: { runId: ID.run, findingId: 7, category: 'orphan', resolution: 'resolved', note: 'contractor, kept' } }), 'Dana Admin resolved the review of the orphan finding of reconciliation 4c40000a: contractor, kept']],
  'connection.metadata_refreshed': [
    [
      ev('connection.metadata_refreshed', {
        actorType: 'system', actorId: 'refresh-saml-metadata', targetType: 'connection', targetId: ID.entra, before: { ssoUrl: 'https://a.test/sso' }, after: { ssoUrl: 'https://b.test/sso' },
        data: { name: 'Entra ID', metadataUrl: 'https://a.test/m', runId: ID.run, changed: ['certificates', 'ssoUrl'], certificatesAdded: [{ fingerprint: 'AA', subject: 'CN=new', notAfter: '2027-01-03T00:00:00.000Z' }], certificatesRemoved: [{ fingerprint: 'BB', subject: 'CN=old', notAfter: '2026-01-03T00:00:00.000Z' }] },
      }),
      'The SAML metadata of Entra ID was refreshed by Roster (refresh-saml-metadata): 1 certificate added (expires 3 Jan 2027), 1 certificate removed, the SSO URL changed to https://b.test/sso',
    ],
    [ev('connection.metadata_refreshed', { ...admin, targetType: 'connection', targetId: ID.entra, data: { name: 'Entra ID', metadataUrl: 'https://a.test/m', changed: [], certificatesAdded: [], certificatesRemoved: [] } }), 'The SAML metadata of Entra ID was checked by Dana Admin: unchanged'],
  ],
  'connection.metadata_refresh_failed': [
    [ev('connection.metadata_refresh_failed', { ...admin, targetType: 'connection', targetId: ID.entra, data: { name: 'Entra ID', metadataUrl: 'https://a.test/m', reason: 'http_status', message: 'Metadata URL: https://a.test/m answered 404 Not Found.' } }), 'The SAML metadata refresh of Entra ID by Dana Admin failed: Metadata URL: https://a.test/m answered 404 Not Found; nothing changed'],
    [ev('connection.metadata_refresh_failed', { ...admin, targetType: 'connection', targetId: ID.entra, data: { name: 'Entra ID', metadataUrl: 'https://a.test/m', reason: 'entity_id_changed', message: '…', storedEntityId: 'https://a.test/idp', foundEntityId: 'https://evil.test/idp' } }), 'The SAML metadata refresh of Entra ID by Dana Admin was refused: the metadata names the entity ID https://evil.test/idp, not https://a.test/idp; nothing changed'],
  ],
};

describe('describeEvent', () => {
  it('has a sentence for every action in events.ts (add one here and in describe.ts with each new action)', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(auditActions).sort());
    for (const [action, list] of Object.entries(cases)) {
      expect(list.length, action).toBeGreaterThan(0);
      for (const [event] of list) expect(describeEvent(event, names)).not.toMatch(new RegExp(`^${action.replace('.', '\\.')} `));
    }
  });

  it.each(Object.values(cases).flat())('%# %j', (event, sentence) => {
    expect(describeEvent(event, names)).toBe(sentence);
  });

  it('falls back to something readable when a name is missing', () => {
    const event = ev('role.granted', { ...admin, ...on(ID.carol), data: role({ roleId: 'unknown-role', roleKey: 'auditor', source: 'group', sourceRef: 'group:5a1e5000-ffff' }) });
    expect(describeEvent(event)).toBe('Account ca401000 was granted the role auditor through the group group 5a1e5000 by administrator da4a0000');
    expect(describeEvent(ev('account.suspended', { actorType: 'admin', actorId: null, targetType: 'account', targetId: null, data: null }))).toBe('An account was suspended by an administrator');
    expect(describeEvent(ev('login.succeeded', { ...user, ...on(ID.bob), data: { connectionId: ID.entra } }), { accounts: {} })).toBe('Account b0b00000 signed in through connection e47a0000');
    expect(describeEvent(ev('account.scim_created', { actorType: 'scim', actorId: 'revoked-token', ...on(ID.alice) }), { accounts: names.accounts })).toBe('Alice Anders was provisioned by SCIM');
    expect(describeEvent(ev('login.rejected', { ...user, data: { reason: 'some_new_reason' } }))).toBe('A sign-in was refused: some new reason');
  });

  it('still says something for an action it does not know (an older or newer trail)', () => {
    expect(describeEvent({ action: 'account.teleported', ...admin, targetType: 'account', targetId: ID.alice }, names)).toBe('Event “account.teleported” by Dana Admin');
  });
});

describe('describeChanges', () => {
  it('lists the fields that changed, profile fields first in their order, with labels; a field on one side only is null on the other', () => {
    const changes = describeChanges({ before: { status: 'active', title: 'Dev', email: 'a@x' }, after: { status: 'suspended', title: 'Dev', department: 'R&D', email: 'b@x', extraAttributes: { costCenter: '42' } } });
    expect(changes).toEqual([
      { field: 'email', label: 'Email', before: 'a@x', after: 'b@x' },
      { field: 'department', label: 'Department', before: null, after: 'R&D' },
      { field: 'status', label: 'Status', before: 'active', after: 'suspended' },
      { field: 'extraAttributes', label: 'Extra attributes', before: null, after: { costCenter: '42' } },
    ]);
  });

  it('is empty for an event without before and after', () => {
    expect(describeChanges({})).toEqual([]);
    expect(describeChanges({ before: null, after: null })).toEqual([]);
  });
});
