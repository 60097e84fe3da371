import type { Database } from '@/db';
import { getConnectionById, getConnectionForUpdate, updateConnection, type ConnectionRow } from '@/db/queries/connections';
import type { Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';
import { readSamlConfig, type SamlConfig } from '@/lib/saml/config';
import { fetchSamlMetadata, metadataFetchFailure, type FetchMetadataOptions } from '@/lib/saml/fetch-metadata';
import { buildSamlConnectionConfig, parseIdpMetadata } from '@/lib/saml/idp-metadata';
import { diffSamlMetadata, type MetadataDiff } from '@/lib/saml/metadata-diff';
import { inTransaction, type CommandContext } from '../context';

export type RefreshOutcome = 'updated' | 'unchanged' | 'failed' | 'refused';

export type RefreshResult = MetadataDiff & {
  connectionId: string;
  name: string;
  metadataUrl: string;
  outcome: RefreshOutcome;
  /** Why it failed or was refused (lib/saml/fetch-metadata.ts's reasons, invalid_metadata, entity_id_changed, url_changed); null otherwise. */
  reason: string | null;
  /** The outcome in words, for the form, the CLI and the job's details. */
  message: string;
  ssoUrl: { before: string; after: string } | null;
  dryRun: boolean;
};

type Input = { organizationId: string; connectionId: string; runId?: string; dryRun?: boolean };
type Options = { actor: Actor; now?: Date; fetch?: FetchMetadataOptions };
type Failure = { outcome: 'failed' | 'refused'; reason: string; message: string; entityIds?: { stored: string; found: string } };
type Decision = Failure | { outcome: 'updated' | 'unchanged'; next: SamlConfig; diff: MetadataDiff };
const isFailure = (d: Decision): d is Failure => d.outcome === 'failed' || d.outcome === 'refused';

const day = (iso: string) => iso.slice(0, 10);
const certs = (n: number) => `${n} certificate${n === 1 ? '' : 's'}`;

/**
 * Reads a SAML connection's metadata again from its metadata URL and applies what changed: signing
 * certificates (a key rollover), SSO URL and binding; the connection's own options stay. The fetch
 * runs before the transaction (no row is locked while the IdP answers); the decision is made on the
 * row locked for update. Metadata naming another entity ID is refused: an IdP does not become
 * another one by a refresh (an admin sets it up again with `roster connection update --metadata-url`).
 * Audited `connection.metadata_refreshed` (certificates added and removed by fingerprint and expiry,
 * SSO URL before and after; unchanged metadata is recorded too, with `changed: []`, and writes
 * nothing to the connection) or `connection.metadata_refresh_failed` (the reason; nothing changes).
 * A failure is returned, not thrown: only a request that cannot be a refresh at all throws (no such
 * connection, not SAML, no metadata URL). A dry run decides the same way, writes and audits nothing.
 */
export async function refreshSamlMetadata(db: Database, input: Input, options: Options): Promise<RefreshResult> {
  const current = await getConnectionById(db, input.connectionId);
  if (!current || current.organizationId !== input.organizationId) throw new AppError('not_found', 'No such connection in this organization.');
  const url = refreshableConfigOrThrow(current).metadataUrl!;
  let fetched: { xml: string } | { error: AppError };
  try {
    fetched = { xml: await fetchSamlMetadata(url, options.fetch) };
  } catch (error) {
    if (!metadataFetchFailure(error)) throw error;
    fetched = { error: error as AppError };
  }
  return inTransaction(db, { actor: options.actor, now: options.now }, async (tx, ctx) => {
    const locked = await getConnectionForUpdate(tx, input.organizationId, current.id);
    if (!locked) throw new AppError('not_found', 'No such connection in this organization.');
    const stored = refreshableConfigOrThrow(locked);
    const decision: Decision =
      'error' in fetched
        ? { outcome: 'failed', reason: metadataFetchFailure(fetched.error)!, message: fetched.error.message }
        : stored.metadataUrl !== url
          ? { outcome: 'failed', reason: 'url_changed', message: `The metadata URL of ${locked.name} changed while it was fetched: refresh again.` }
          : decide(fetched.xml, stored, url);
    const result = toResult(locked, url, stored, decision, input.dryRun ?? false);
    if (input.dryRun) return result;
    if (decision.outcome === 'updated') await updateConnection(tx, input.organizationId, locked.id, { samlMetadata: (fetched as { xml: string }).xml, samlConfig: decision.next });
    record(ctx, input, { connection: locked, stored, url }, decision, result);
    return result;
  });
}

/** The connection's SAML config, when it can be refreshed: a SAML connection with valid settings and a metadata URL. */
function refreshableConfigOrThrow(c: ConnectionRow): SamlConfig {
  if (c.protocol !== 'saml') throw new AppError('invalid_input', `${c.name} is an OIDC connection: it has no SAML metadata to refresh.`);
  const config = readSamlConfig(c.samlConfig);
  if (!config) throw new AppError('precondition_failed', `The stored SAML settings of ${c.name} are not valid: set it up again (roster connection update --metadata-url URL).`);
  if (!config.metadataUrl) throw new AppError('precondition_failed', `${c.name} has no metadata URL (it was set up from a file or by hand): give it one with roster connection update --metadata-url URL.`);
  return config;
}

function decide(xml: string, stored: SamlConfig, url: string): Decision {
  const { idpEntityId, ssoUrl: _s, ssoBinding: _b, certificates: _c, ...own } = stored;
  let next: SamlConfig;
  try {
    next = buildSamlConnectionConfig({ metadataXml: xml, entityId: idpEntityId, settings: own }).samlConfig;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const found = entityIdOf(xml);
    if (found && found !== idpEntityId) {
      const message = `The metadata at ${url} names the entity ID ${found}, not ${idpEntityId}: refused, nothing changed. If the IdP really changed, set the connection up again from it (roster connection update --metadata-url).`;
      return { outcome: 'refused', reason: 'entity_id_changed', message, entityIds: { stored: idpEntityId, found } };
    }
    return { outcome: 'failed', reason: 'invalid_metadata', message: `${error.message} (from ${url})` };
  }
  const diff = diffSamlMetadata(stored, next);
  return { outcome: diff.changed.length ? 'updated' : 'unchanged', next, diff };
}

/** The single IdP a document describes, if it can be read at all (to tell "another IdP" from "broken"). */
function entityIdOf(xml: string): string | null {
  try {
    return parseIdpMetadata(xml).idpEntityId;
  } catch {
    return null;
  }
}

function toResult(c: ConnectionRow, url: string, stored: SamlConfig, d: Decision, dryRun: boolean): RefreshResult {
  const base = { connectionId: c.id, name: c.name, metadataUrl: url, dryRun };
  if (isFailure(d)) return { ...base, outcome: d.outcome, reason: d.reason, message: d.message, changed: [], certificatesAdded: [], certificatesRemoved: [], ssoUrl: null };
  const { diff, next } = d;
  const ssoUrl = diff.changed.includes('ssoUrl') ? { before: stored.ssoUrl, after: next.ssoUrl } : null;
  const parts = [
    diff.certificatesAdded.length ? `${certs(diff.certificatesAdded.length)} added (expiring ${diff.certificatesAdded.map((x) => day(x.notAfter)).join(', ')})` : '',
    diff.certificatesRemoved.length ? `${certs(diff.certificatesRemoved.length)} removed` : '',
    ssoUrl ? `SSO URL now ${ssoUrl.after}` : '',
    diff.changed.includes('ssoBinding') ? `SSO binding now ${next.ssoBinding}` : '',
  ].filter(Boolean);
  const message = parts.length
    ? `The SAML metadata of ${c.name} ${dryRun ? 'would be refreshed' : 'was refreshed'}: ${parts.join(', ')}.`
    : `The SAML metadata of ${c.name} is unchanged: nothing ${dryRun ? 'would be' : 'was'} written.`;
  return { ...base, outcome: d.outcome, reason: null, message, ...diff, ssoUrl };
}

function record(ctx: CommandContext, input: Input, { connection: c, stored, url }: { connection: ConnectionRow; stored: SamlConfig; url: string }, d: Decision, r: RefreshResult) {
  const common = { organizationId: input.organizationId, actor: ctx.actor, target: { type: 'connection', id: c.id } };
  const ref = { name: c.name, metadataUrl: url, ...(input.runId ? { runId: input.runId } : {}) };
  if (isFailure(d)) {
    const ids = d.entityIds ? { storedEntityId: d.entityIds.stored, foundEntityId: d.entityIds.found } : {};
    ctx.record({ ...common, action: 'connection.metadata_refresh_failed', data: { ...ref, reason: d.reason, message: d.message, ...ids } });
    return;
  }
  const shown = (['ssoUrl', 'ssoBinding'] as const).filter((k) => r.changed.includes(k));
  ctx.record({
    ...common,
    action: 'connection.metadata_refreshed',
    before: shown.length ? Object.fromEntries(shown.map((k) => [k, stored[k]])) : null,
    after: shown.length ? Object.fromEntries(shown.map((k) => [k, d.next[k]])) : null,
    data: { ...ref, changed: r.changed, certificatesAdded: r.certificatesAdded, certificatesRemoved: r.certificatesRemoved },
  });
}
