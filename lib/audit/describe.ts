import type { ActorType } from '@/db/schema';
import { profileFieldDefinitions, isProfileField } from '@/lib/model/account';
import {
  accountName,
  actorName,
  because,
  by,
  capitalize,
  connectionName,
  count,
  day,
  groupName,
  refusalReason,
  roleName,
  ruleName,
  shortId,
  text,
  tokenName,
  type Data,
  type NameBook,
} from './describe-words';
import { describeCounts } from '@/lib/jobs/describe-counts';
import { isAuditAction, type AuditAction } from './events';

export type { NameBook } from './describe-words';

/** An audit event as stored (db/queries/audit-events.ts: findAuditEvents), or as much of it as a sentence needs. */
export type DescribableEvent = {
  action: string;
  actorType: ActorType;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  data?: Record<string, unknown> | null;
};

/** The connection's name as the event recorded it (it may be deleted since), else its name now. */
const connectionLabel = (p: Parts) => text(p.data.name) ?? connectionName(p.names, p.event.targetId);
const connectionFieldWords: Record<string, string> = {
  name: 'name',
  allowedDomains: 'domains',
  jitEnabled: 'JIT',
  requiredAttributes: 'required claims',
  defaultRoles: 'default roles',
  claimMapping: 'claim mapping',
  issuer: 'issuer',
  clientId: 'client ID',
  clientSecret: 'client secret',
  samlMetadata: 'IdP metadata',
  samlConfig: 'SAML settings',
};

type Parts = { event: DescribableEvent; data: Data; names: NameBook; actor: string; by: string; target: string };

/**
 * An audit event in words, for the console's trail: "Alice Anders was suspended by SCIM (Entra ID)",
 * "Carol was granted the role Auditor by Dana Admin until 3 Jan 2027". `names` gives display names
 * by id; a missing one reads "account 1a2b3c4d". Pure. Every action of events.ts has a sentence
 * (the table's type requires it; describe.test.ts checks each one).
 */
export function describeEvent(event: DescribableEvent, names: NameBook = {}): string {
  const parts: Parts = { event, data: event.data ?? {}, names, actor: actorName(names, event.actorType, event.actorId), by: by(names, event.actorType, event.actorId), target: targetName(event, names) };
  const sentence = isAuditAction(event.action) ? sentences[event.action](parts) : `event “${event.action}” ${parts.by}`;
  return capitalize(sentence);
}

function targetName(event: DescribableEvent, names: NameBook): string {
  const id = event.targetId;
  switch (event.targetType) {
    case 'account':
      return accountName(names, id);
    case 'group':
      return `the group ${groupName(names, id, event.after?.displayName ?? event.before?.displayName)}`;
    case 'connection':
      return connectionName(names, id);
    default:
      return id ? `${event.targetType ?? 'item'} ${shortId(id)}` : 'something';
  }
}

const possessive = (name: string) => (name.endsWith('s') ? `${name}’` : `${name}’s`);
/** "31 Mar 2027, 17:00 UTC" (the time only when it is not midnight). */
const when = (value: unknown) => {
  const at = day(value);
  if (!at) return 'an unknown time';
  const clock = new Date(String(value)).toISOString().slice(11, 16);
  return clock === '00:00' ? at : `${at}, ${clock} UTC`;
};
const until = (value: unknown) => (day(value) ? ` until ${day(value)}` : '');
const inRun = (d: Data) => (text(d.job) ? ` (${text(d.job)} job${text(d.clause) ? `: ${text(d.clause)}` : ''})` : text(d.runId) ? ' (bulk action)' : '');
/** An HR update by a reconciliation: "(reconcile job: drift)". */
const inReconcile = (d: Data) => (text(d.job) === 'reconcile' ? ` (reconciliation${text(d.category) ? `: ${text(d.category)}` : ''})` : '');
const status = (verb: string) => (p: Parts) => `${p.target} was ${verb} ${p.by}${because(p.data.reason)}${sessions(p.data)}${inRun(p.data)}`;
const sessions = (d: Data) => (typeof d.sessionsRevoked === 'number' && d.sessionsRevoked > 0 ? `; ${count(d.sessionsRevoked, 'session')} ended` : '');

/** Where a grant came from: "through the rule Engineers", "through the group Sales", "as the default role of Okta". */
function grantSource(p: Parts): string | null {
  const ref = text(p.data.sourceRef) ?? '';
  const [kind, id = null] = ref.includes(':') ? [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)] : [ref];
  if (p.data.source === 'group' || kind === 'group') return `through the group ${groupName(p.names, id)}`;
  if (kind === 'rule') return `through the rule ${ruleName(p.names, id)}`;
  if (kind === 'connection') return `as the default role of ${connectionName(p.names, id)}`;
  return p.data.source === 'birthright' ? 'through a birthright rule' : null;
}

const ruleLabel = (p: Parts) => `${text(p.data.name) ?? ruleName(p.names, p.event.targetId)} (role ${roleName(p.names, null, p.data.roleKey)})`;
/** "; 12 accounts gained the role and 3 lost it": what applying the change did at once. */
const ruleEffect = (d: Data) => {
  const n = (key: string) => (typeof d[key] === 'number' ? (d[key] as number) : 0);
  if (n('granted') === 0 && n('revoked') === 0) return '; no account changed';
  const parts = [n('granted') ? `${count(n('granted'), 'account')} gained the role` : null, n('revoked') ? `${count(n('revoked'), 'account')} lost it` : null].filter(Boolean);
  return `; ${parts.join(' and ')}${typeof d.confirmedOver === 'number' ? ` (past the limit, confirmed for ${d.confirmedOver.toLocaleString('en-US')})` : ''}`;
};
const origin: Record<string, string> = { jit: 'created at sign-in', manual: 'created by an administrator', scim: 'created by SCIM' };
const role = (p: Parts) => `role ${roleName(p.names, p.data.roleId, p.data.roleKey)}`;
const changedFields = (e: DescribableEvent) => describeChanges(e).map((c) => c.label);
const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const members = (names: NameBook, ids: unknown) => (Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []).map((id) => accountName(names, id));
const some = (names: string[]) => (names.length <= 3 ? list(names) : `${names.slice(0, 2).join(', ')} and ${count(names.length - 2, 'other')}`);

const bulkVerb = (d: Data, names: NameBook) => {
  const r = `the role ${roleName(names, null, d.roleKey)}`;
  switch (d.action) {
    case 'grant_role':
      return `grant ${r}${until(d.expiresAt)} to`;
    case 'revoke_role':
      return `revoke ${r} from`;
    default:
      return text(d.action) ?? 'change';
  }
};

const sentences: { [A in AuditAction]: (p: Parts) => string } = {
  'account.created': (p) => `${p.target} was created ${p.by}${p.data.connectionId ? ` for ${connectionName(p.names, text(p.data.connectionId))}` : ''}`,
  'account.jit_created': (p) => `${p.target} was created at first sign-in through ${connectionName(p.names, text(p.data.connectionId))}`,
  'account.scim_created': (p) => `${p.target} was provisioned ${p.by}`,
  'account.updated': (p) => {
    const fields = changedFields(p.event);
    const what = fields.length ? `: ${list(fields)}` : '';
    return p.data.via === 'jit' ? `${possessive(p.target)} attributes were updated at sign-in${what}` : `${p.target} was updated ${p.by}${what}${inReconcile(p.data)}`;
  },
  'account.scim_linked': (p) => `${p.target}${origin[String(p.data.source)] ? ` (${origin[String(p.data.source)]})` : ''} was adopted ${p.by}`,
  'account.suspended': status('suspended'),
  'account.restored': status('restored'),
  'account.deprovisioned': status('deprovisioned'),
  'account.pending_approval': status('set to wait for approval'),
  'account.restore_held': (p) => `${p.actor} asked to restore ${p.target}, but a security hold${p.data.heldBy ? ` by ${accountName(p.names, text(p.data.heldBy))}` : ''} keeps it suspended${because(p.data.holdReason)}`,
  'account.security_hold_placed': (p) => `${p.actor} placed a security hold on ${p.target}${because(p.data.reason)}`,
  'account.security_hold_lifted': (p) => `${p.actor} lifted the security hold on ${p.target}${because(p.data.reason)}`,
  'account.link_conflict': (p) => {
    const candidates = members(p.names, p.data.candidateIds);
    const who = p.data.source === 'scim' ? `A SCIM push ${p.by}` : 'A sign-in';
    return `${who} could be ${candidates.length === 1 ? candidates[0] : `any of ${count(candidates.length, 'account')}${candidates.length ? ` (${some(candidates)})` : ''}`}: held for an administrator`;
  },
  'account.purged': (p) => `The personal data of ${p.target} was purged ${p.by}`,
  'identity.linked': (p) => `A sign-in identity of ${connectionName(p.names, text(p.data.connectionId))} was linked to ${p.target}${p.data.via === 'scim_match' ? ' (matched by SCIM)' : p.data.via === 'admin_link' ? ' (an administrator resolved the link conflict)' : ''}`,
  'conflict.resolved': (p) =>
    p.data.decision === 'link'
      ? `${p.actor} resolved a link conflict: the ${p.data.source === 'scim' ? 'SCIM push' : 'sign-in'} belongs to ${accountName(p.names, text(p.data.accountId))}`
      : `${p.actor} resolved a link conflict: the ${p.data.source === 'scim' ? 'SCIM push' : 'sign-in'} is kept apart from ${some(members(p.names, p.data.candidateIds))}`,
  'role.granted': (p) => {
    const source = p.data.source === 'manual' ? null : grantSource(p);
    return `${p.target} was granted the ${role(p)}${source ? ` ${source}` : ''} ${p.by}${until(p.data.expiresAt)}${because(p.data.reason)}${inRun(p.data)}`;
  },
  'role.revoked': (p) => {
    const source = p.data.source === 'manual' ? null : grantSource(p);
    return `${possessive(p.target)} ${role(p)}${source ? ` (given ${source})` : ''} was revoked ${p.by}${because(p.data.reason)}${inRun(p.data)}`;
  },
  'role.expiry_changed': (p) =>
    `${possessive(p.target)} ${role(p)} now lasts ${day(p.data.expiresAt) ? `until ${day(p.data.expiresAt)}` : 'with no end date'} (before: ${day(p.data.previousExpiresAt) ? `until ${day(p.data.previousExpiresAt)}` : 'no end date'}), set ${p.by}${inRun(p.data)}`,
  'group.created': (p) => `${p.target} was created ${p.by}`,
  'group.updated': (p) => {
    const renamed = text(p.event.after?.displayName);
    const oldName = text(p.event.before?.displayName);
    return renamed && oldName ? `The group ${oldName} was renamed to ${renamed} ${p.by}` : `${p.target} was changed ${p.by}`;
  },
  'group.deleted': (p) => `${p.target} was deleted ${p.by}`,
  'group.members_changed': (p) => {
    const [added, removed] = [members(p.names, p.data.added), members(p.names, p.data.removed)];
    if (added.length && removed.length) return `${p.actor} added ${some(added)} to ${p.target} and removed ${some(removed)}`;
    if (added.length) return `${p.actor} added ${some(added)} to ${p.target}`;
    return removed.length ? `${p.actor} removed ${some(removed)} from ${p.target}` : `${p.actor} changed no member of ${p.target}`;
  },
  'group.member_removed': (p) => `${accountName(p.names, text(p.data.accountId))} left ${p.target}${because(p.data.reason)}`,
  'group.role_mapped': (p) => {
    const roleId = text(p.event.after?.roleId);
    const effect = typeof p.data.runId === 'string' ? ruleEffect(p.data) : '';
    return roleId ? `${p.target} now gives the role ${roleName(p.names, roleId, p.event.after?.roleKey)}, set ${p.by}${effect}` : `${p.target} no longer gives a role, set ${p.by}${effect}`;
  },
  'login.succeeded': (p) => `${p.target} signed in through ${connectionName(p.names, text(p.data.connectionId))}${p.data.jitCreated === true ? ' for the first time (account created)' : ''}`,
  'login.rejected': (p) => {
    const connection = text(p.data.connectionId);
    const of = p.event.targetType === 'account' ? ` of ${p.target}` : '';
    return `A sign-in${of}${connection ? ` through ${connectionName(p.names, connection)}` : ''} was refused: ${refusalReason(p.data.reason)}`;
  },
  'account.sessions_revoked': (p) => `Every session of ${p.target} was ended ${p.by} (${Number(p.data.sessionsRevoked ?? 0)})${because(p.data.reason)}`,
  'session.closed': (p) => (p.data.reason === 'signed out' && p.event.actorType === 'user' ? `${p.target} signed out` : `A session of ${p.target} was ended ${p.by}${because(p.data.reason)}`),
  'admin.action_refused': (p) => `${p.actor} was refused the admin action ${text(p.data.action) ?? 'unknown'}${because(p.data.reason)}`,
  'scim_token.created': (p) => `The SCIM token ${tokenName(p.names, p.event.targetId) ?? text(p.data.name) ?? p.target} was created ${p.by}`,
  'scim_token.revoked': (p) => `The SCIM token ${tokenName(p.names, p.event.targetId) ?? text(p.data.name) ?? p.target} was revoked ${p.by}`,
  'connection.created': (p) => `The connection ${text(p.event.after?.name) ?? p.target} was created ${p.by}`,
  'connection.updated': (p) => {
    const changed = Array.isArray(p.data.changed) ? p.data.changed.map((c) => connectionFieldWords[String(c)] ?? String(c)) : [];
    return `The connection ${connectionLabel(p)} was changed ${p.by}${changed.length ? `: ${changed.join(', ')}` : ''}`;
  },
  'connection.disabled': (p) =>
    `The connection ${connectionLabel(p)} was disabled ${p.by}: its sign-ins are refused, ${count(Number(p.data.sessionsRevoked ?? 0), 'session')} through it ended, its ${count(Number(p.data.accounts ?? 0), 'account')} kept`,
  'connection.enabled': (p) => `The connection ${connectionLabel(p)} was enabled again ${p.by}`,
  'connection.deleted': (p) =>
    `The connection ${connectionLabel(p)} was deleted ${p.by}: ${count(Number(p.data.identities ?? 0), 'sign-in identity', 'sign-in identities')} of ${count(Number(p.data.accounts ?? 0), 'account')} deleted (the accounts kept), ${count(Number(p.data.sessionsRevoked ?? 0), 'session')} ended, ${count(Number(p.data.rolesRevoked ?? 0), 'default role grant')} revoked`,
  'connection.mapping_updated': (p) => {
    const fields = Array.isArray(p.data.fields) ? p.data.fields.map(String) : [];
    return `The claim mapping of the connection ${connectionLabel(p)} was changed ${p.by}${fields.length ? `: ${fields.join(', ')}` : ''}`;
  },
  'connection.test_sign_in': (p) => {
    const would: Record<string, string> = { create: 'create an account', link: 'link an account', update: 'update an account' };
    const tested = `${p.actor} tested a sign-in through ${connectionLabel(p)}`;
    return p.data.outcome === 'refused' ? `${tested} and it was refused: ${refusalReason(p.data.reason)}` : `${tested}: it would ${would[String(p.data.outcome)] ?? 'sign in'}, and changed nothing`;
  },
  'organization.created': (p) => `The organization ${text(p.event.after?.name) ?? text(p.event.after?.slug) ?? p.target} was created ${p.by}`,
  'organization.demo_seeded': (p) => `The demo organization was set up ${p.by}`,
  'organization.settings_changed': (p) => {
    const words: Record<string, string> = { purgeDeprovisionedAfterDays: 'purge after', seatPricePerMonth: 'seat price', sessionMaxAgeSeconds: 'session lifetime' };
    const changed = Array.isArray(p.data.changed) ? p.data.changed.map((c) => words[String(c)] ?? String(c)) : [];
    return `The organization settings were changed ${p.by}${changed.length ? `: ${changed.join(', ')}` : ''}`;
  },
  // governance: role expiry and account end dates
  'role.expired': (p) => `${possessive(p.target)} ${role(p)} ended by itself at ${when(p.data.expiresAt)} and was revoked ${p.by}`,
  'account.end_date_set': (p) => `${possessive(p.target)} end date was set to ${when(p.data.endsAt)} ${p.by}`,
  'account.end_date_cleared': (p) => `${possessive(p.target)} end date was cleared ${p.by}`,
  'account.ended': (p) => `${p.target} reached the end date ${when(p.data.endsAt)} and was suspended ${p.by}`,
  'account.end_date_ignored': (p) => `An end date sent for ${p.target} ${p.data.via === 'jit' ? 'at sign-in' : p.by} was ignored: ${text(p.data.reason) ?? 'not a date'}`,
  'job.run_confirmed': (p) => {
    const counts = p.data.counts && typeof p.data.counts === 'object' ? (p.data.counts as Record<string, number>) : {};
    return `${p.actor} confirmed the halted run ${shortId(p.event.targetId ?? '')} of ${text(p.data.job) ?? 'a job'}: it may ${describeCounts(counts)}`;
  },
  // governance: dormancy
  'dormancy.policy_changed': (p) => `The dormancy policy was ${p.data.created === true ? 'set' : 'changed'} ${p.by}`,
  'dormancy.warned': (p) => `${p.target} was warned of suspension for dormancy${day(p.data.suspendFrom) ? ` (suspension from ${day(p.data.suspendFrom)})` : ''}: ${text(p.data.clause) ?? 'no activity'}`,
  'dormancy.warning_cancelled': (p) => `The dormancy warning of ${p.target} was cancelled: active again${day(p.data.lastActivityAt) ? ` on ${day(p.data.lastActivityAt)}` : ''}`,
  'dormancy.exempt_changed': (p) => `${p.target} was ${p.data.exempt === true ? 'exempted from' : 'made subject to'} dormancy ${p.by}${because(p.data.reason)}`,
  'scim.activation_deferred': (p) => `${p.actor} sent active for ${p.target}, which stays suspended: Roster suspended it for dormancy and the directory had not disabled it (an admin restores it)`,
  // birthright rules
  'rule.created': (p) => `${p.actor} created the birthright rule ${ruleLabel(p)}${ruleEffect(p.data)}`,
  'rule.updated': (p) => `${p.actor} ${p.event.before?.enabled === true && p.event.after?.enabled === false ? 'disabled' : p.event.before?.enabled === false && p.event.after?.enabled === true ? 'enabled' : 'changed'} the birthright rule ${ruleLabel(p)}${ruleEffect(p.data)}`,
  'rule.deleted': (p) => `${p.actor} deleted the birthright rule ${ruleLabel(p)}${ruleEffect(p.data)}`,
  // governance: reconciliation
  'reconcile.source_created': (p) => `The reconciliation source ${text(p.data.name) ?? p.target} (${p.data.kind === 'scim' ? 'the SCIM directory' : 'an HR export'}) was created ${p.by}`,
  'reconcile.run_finished': (p) => {
    const counts = p.data.counts && typeof p.data.counts === 'object' ? (p.data.counts as Record<string, number>) : {};
    const found = Object.entries(counts).filter(([, n]) => n > 0).map(([c, n]) => `${n.toLocaleString('en-US')} ${c}`);
    const what = `The reconciliation${p.data.dryRun === true ? ' (dry run)' : ''} of ${text(p.data.source) ?? 'a source'}`;
    if (p.data.outcome === 'failed') return `${what} failed${because(p.data.failureReason)}; nothing was changed`;
    const tally = found.length ? `: ${list(found)}` : ': nothing to report';
    return p.data.outcome === 'halted' ? `${what} halted before acting${because(p.data.haltReason)}${tally}` : `${what} completed${tally}`;
  },
  'reconcile.run_confirmed': (p) => `${p.actor} confirmed the halted reconciliation ${shortId(p.event.targetId ?? '')} of ${text(p.data.source) ?? 'a source'}: it may suspend or deprovision ${count(Number(p.data.confirmedChanges ?? 0), 'account')}`,
  'reconcile.review_resolved': (p) => `${p.actor} ${p.data.resolution === 'dismissed' ? 'dismissed' : 'resolved'} the review of ${text(p.data.category) ? `the ${text(p.data.category)} finding` : 'a finding'} of reconciliation ${shortId(text(p.data.runId) ?? '')}${because(p.data.note)}`,
  'connection.metadata_refreshed': (p) => {
    const refs = (key: string) => (Array.isArray(p.data[key]) ? (p.data[key] as { notAfter?: unknown }[]) : []);
    const added = refs('certificatesAdded');
    const removed = refs('certificatesRemoved');
    const changed = Array.isArray(p.data.changed) ? p.data.changed.map(String) : [];
    const parts = [
      added.length ? `${count(added.length, 'certificate')} added (${added.map((c) => `expires ${day(c.notAfter) ?? '?'}`).join(', ')})` : '',
      removed.length ? `${count(removed.length, 'certificate')} removed` : '',
      changed.includes('ssoUrl') ? `the SSO URL changed to ${text(p.event.after?.ssoUrl) ?? '?'}` : '',
      changed.includes('ssoBinding') ? `the SSO binding changed to ${text(p.event.after?.ssoBinding) ?? '?'}` : '',
    ].filter(Boolean);
    return parts.length ? `The SAML metadata of ${connectionLabel(p)} was refreshed ${p.by}: ${parts.join(', ')}` : `The SAML metadata of ${connectionLabel(p)} was checked ${p.by}: unchanged`;
  },
  'connection.metadata_refresh_failed': (p) =>
    p.data.reason === 'entity_id_changed'
      ? `The SAML metadata refresh of ${connectionLabel(p)} by ${p.actor} was refused: the metadata names the entity ID ${text(p.data.foundEntityId) ?? '?'}, not ${text(p.data.storedEntityId) ?? '?'}; nothing changed`
      : `The SAML metadata refresh of ${connectionLabel(p)} by ${p.actor} failed: ${(text(p.data.message) ?? 'unknown error').replace(/\.$/, '')}; nothing changed`,
  'bulk.started': (p) => {
    const n = typeof p.data.requested === 'number' ? p.data.requested : 0;
    return `${p.actor} started a bulk action${p.data.dryRun === true ? ' (dry run)' : ''}: ${bulkVerb(p.data, p.names)} ${count(n, 'account')}${because(p.data.reason)}`;
  },
  'bulk.finished': (p) => {
    const n = (key: string) => (typeof p.data[key] === 'number' ? (p.data[key] as number) : 0);
    const tally = `${n('changed').toLocaleString('en-US')} changed, ${n('unchanged').toLocaleString('en-US')} unchanged, ${n('refused').toLocaleString('en-US')} refused`;
    const failed = text(p.data.failed);
    return `The bulk action ${bulkVerb(p.data, p.names)} ${count(n('requested'), 'account')} ${failed ? `stopped on an error after ${tally}: ${failed}` : `finished: ${tally}`}`;
  },
};

export type Change = { field: string; label: string; before: unknown; after: unknown };

/** What an event changed, field by field, from its before and after (a field absent on one side is null there). */
export function describeChanges(event: Pick<DescribableEvent, 'before' | 'after'>): Change[] {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const order = (f: string) => (isProfileField(f) ? Object.keys(profileFieldDefinitions).indexOf(f) : Number.MAX_SAFE_INTEGER);
  return fields
    .map((field, i) => ({ field, i, before: before[field] ?? null, after: after[field] ?? null }))
    .filter((c) => JSON.stringify(c.before) !== JSON.stringify(c.after))
    .sort((a, b) => order(a.field) - order(b.field) || a.i - b.i)
    .map(({ field, before: was, after: now }) => ({ field, label: labelOf(field), before: was, after: now }));
}

function labelOf(field: string): string {
  if (isProfileField(field)) return profileFieldDefinitions[field].label;
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return capitalize(words);
}
