import { z } from 'zod';
import type { ActionContext } from '@/lib/auth/define-action';
import { checkIssuerDiscovery } from '@/lib/connections/check-discovery';
import { encryptSecret } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { createConnection } from '@/lib/lifecycle/connection/create-connection';
import { deleteConnectionAndIdentities } from '@/lib/lifecycle/connection/delete-connection';
import { refreshSamlMetadata } from '@/lib/lifecycle/connection/refresh-saml-metadata';
import { setConnectionEnabled } from '@/lib/lifecycle/connection/set-connection-enabled';
import { updateConnectionSettings } from '@/lib/lifecycle/connection/update-connection';
import { fetchSamlMetadata } from '@/lib/saml/fetch-metadata';
import { buildSamlConnectionConfig, MAX_METADATA_BYTES } from '@/lib/saml/idp-metadata';
import { replaceSamlConfig } from '@/lib/saml/replace-config';
import { getConnectionForUpdate } from '@/db/queries/connections';
import { parseClientId, parseIssuer } from '@/lib/connections/connection-input';
import { commonFields, mappingOf, oidcFields, samlFields, samlSources, settingsOf, text } from './connection-form';

/**
 * The connection pages' actions, without Next.js (app/(dashboard)/admin/connections/**\/actions.ts
 * binds them): the same lifecycle commands as `roster connection create|update|disable|enable|delete`,
 * for the admin's organization (never the form's). An OIDC issuer must answer its discovery
 * document before a connection to it is saved. The client secret is sealed and never sent back.
 */
export type Deps = { fetch?: typeof fetch; metadataTimeoutMs?: number };

const sealed = (secret: string) => {
  const key = getEnv().ROSTER_ENCRYPTION_KEY;
  if (!key) throw new AppError('precondition_failed', 'The client secret cannot be stored: ROSTER_ENCRYPTION_KEY is not set on the server.');
  return encryptSecret(secret, key);
};
const discovered = async (issuer: string, deps: Deps) => {
  try {
    await checkIssuerDiscovery(issuer, deps);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, `Issuer: ${error.message}`, error.details);
    throw error;
  }
};

const labelled = <T>(label: string, parse: () => T): T => {
  try {
    return parse();
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, `${label} ${error.message}.`);
    throw error;
  }
};

export const createOidcSchema = z
  .object({ ...commonFields, ...oidcFields, clientSecret: z.string().trim().min(1, 'Required (the client secret of the application in your IdP).').max(4096) })
  .transform((v, ctx) => ({ ...v, claimMapping: mappingOf(v, ctx) }));

export async function createOidcConnection(input: z.infer<typeof createOidcSchema>, { tx, admin, command }: ActionContext, deps: Deps = {}) {
  await discovered(input.issuer, deps);
  const row = await createConnection(tx, { organizationId: admin.organizationId, ...settingsOf(input, input.claimMapping), protocol: 'oidc', issuer: input.issuer, clientId: input.clientId, clientSecretEncrypted: sealed(input.clientSecret) }, command);
  return { message: `Created the OIDC connection ${row.name}.`, connectionId: row.id };
}

/** The IdP's SAML settings from the form: an uploaded metadata file, a metadata URL fetched now, or entity ID, SSO URL and certificate. */
async function samlConfigOf(input: z.infer<z.ZodObject<typeof samlFields>>, deps: Deps) {
  if (input.samlSource === 'metadata') return buildSamlConnectionConfig({ metadataXml: await metadataFileText(input.metadataFile), entityId: input.entityId || undefined });
  if (input.samlSource === 'url') {
    // Kept in the config: the daily refresh-saml-metadata job reads it again (key rollovers).
    const xml = await fetchSamlMetadata(input.metadataUrl, { fetch: deps.fetch });
    return buildSamlConnectionConfig({ metadataXml: xml, entityId: input.entityId || undefined, settings: { metadataUrl: input.metadataUrl } });
  }
  if (!input.entityId || !input.ssoUrl || !input.certificate) throw new AppError('invalid_input', 'Manual set-up needs the IdP entity ID, its SSO URL and its signing certificate.');
  return buildSamlConnectionConfig({ settings: { idpEntityId: input.entityId, ssoUrl: input.ssoUrl, certificates: [input.certificate] } });
}

async function metadataFileText(file: unknown): Promise<string> {
  if (!(file instanceof Blob) || file.size === 0) throw new AppError('invalid_input', 'Metadata: choose the IdP metadata XML file.');
  if (file.size > MAX_METADATA_BYTES) throw new AppError('invalid_input', 'Metadata: the file is larger than 1 MB.');
  return file.text();
}

/**
 * The connection page's "IdP's SAML settings" on a SAML connection: kept, or replaced from a metadata
 * file (the metadata URL is dropped), a metadata URL (fetched now and kept for the daily refresh), or
 * by hand (each blank value kept; the refresh stops, as it would overwrite them).
 */
async function samlReplacementOf(input: z.infer<typeof updateSchema>, stored: unknown, deps: Deps) {
  switch (input.samlSource) {
    case undefined:
    case 'keep':
      return {};
    case 'metadata':
      return replaceSamlConfig(stored, { metadataXml: await metadataFileText(input.metadataFile), entityId: input.entityId || undefined, metadataUrl: null });
    case 'url':
      if (!input.metadataUrl) throw new AppError('invalid_input', 'Metadata URL: give the URL of the IdP’s metadata.');
      return replaceSamlConfig(stored, { metadataXml: await fetchSamlMetadata(input.metadataUrl, { fetch: deps.fetch }), entityId: input.entityId || undefined, metadataUrl: input.metadataUrl });
    case 'manual': {
      const manual = { ...(input.entityId ? { idpEntityId: input.entityId } : {}), ...(input.ssoUrl ? { ssoUrl: input.ssoUrl } : {}), ...(input.certificate ? { certificates: [input.certificate] } : {}) };
      if (Object.keys(manual).length === 0) throw new AppError('invalid_input', 'By hand: give the entity ID, SSO URL or signing certificate to change (blank ones are kept).');
      return replaceSamlConfig(stored, { manual, metadataUrl: null });
    }
  }
}

export const createSamlSchema = z.object({ ...commonFields, ...samlFields }).transform((v, ctx) => ({ ...v, claimMapping: mappingOf(v, ctx) }));

export async function createSamlConnection(input: z.infer<typeof createSamlSchema>, { tx, admin, command }: ActionContext, deps: Deps = {}) {
  const { samlMetadata, samlConfig } = await samlConfigOf(input, deps);
  const row = await createConnection(tx, { organizationId: admin.organizationId, ...settingsOf(input, input.claimMapping), protocol: 'saml', samlMetadata, samlConfig }, command);
  return { message: `Created the SAML connection ${row.name}.`, connectionId: row.id };
}

/** The settings form of a connection's page: the common settings, and the OIDC client (a blank secret keeps the stored one). */
export const updateSchema = z
  .object({
    connectionId: z.string(),
    ...commonFields,
    issuer: z.string().optional(),
    clientId: z.string().optional(),
    clientSecret: z.string().trim().max(4096).optional(),
    samlSource: z.enum(['keep', ...samlSources], { error: 'Choose whether to keep or replace the IdP’s SAML settings.' }).optional(),
    metadataFile: z.unknown().optional(),
    metadataUrl: text,
    entityId: text,
    ssoUrl: text,
    certificate: text,
  })
  .transform((v, ctx) => ({ ...v, claimMapping: mappingOf(v, ctx) }));

export async function updateConnectionFromForm(input: z.infer<typeof updateSchema>, { tx, admin, command }: ActionContext, deps: Deps = {}) {
  const oidc = input.issuer !== undefined ? { issuer: labelled('Issuer', () => parseIssuer(input.issuer!)), clientId: labelled('Client ID', () => parseClientId(input.clientId ?? '')) } : {};
  const replacing = input.samlSource !== undefined && input.samlSource !== 'keep';
  const current = replacing ? await getConnectionForUpdate(tx, admin.organizationId, input.connectionId) : null;
  if (replacing && current?.protocol !== 'saml') throw new AppError(current ? 'invalid_input' : 'not_found', current ? 'An OIDC connection has no SAML settings to replace.' : 'No such connection in this organization.');
  const saml = replacing ? await samlReplacementOf(input, current!.samlConfig, deps) : {};
  const changes = { ...settingsOf(input, input.claimMapping), ...oidc, ...(input.clientSecret ? { clientSecretEncrypted: sealed(input.clientSecret) } : {}), ...saml };
  const result = await updateConnectionSettings(tx, { organizationId: admin.organizationId, connectionId: input.connectionId, changes }, command);
  if (oidc.issuer && result.changed.includes('issuer')) await discovered(oidc.issuer, deps);
  return { message: result.changed.length ? `Saved: ${result.changed.length} setting${result.changed.length === 1 ? '' : 's'} changed.` : 'Nothing changed.', changed: result.changed };
}

export const toggleSchema = z.object({ connectionId: z.string(), enabled: z.enum(['true', 'false']).transform((v) => v === 'true') });

export async function toggleConnection(input: z.infer<typeof toggleSchema>, { tx, admin, command }: ActionContext) {
  const r = await setConnectionEnabled(tx, { organizationId: admin.organizationId, connectionId: input.connectionId, enabled: input.enabled }, command);
  const name = r.connection.name;
  if (!r.changed) return { message: `${name} was already ${input.enabled ? 'enabled' : 'disabled'}.` };
  return { message: input.enabled ? `${name} is enabled: its users can sign in again.` : `${name} is disabled: sign-ins are refused and ${r.sessionsRevoked} session${r.sessionsRevoked === 1 ? '' : 's'} ended; its accounts are kept.` };
}

export const deleteSchema = z.object({ connectionId: z.string(), confirm: z.string().optional() });

/** Deleting a connection in use needs its name typed (the dialog says what happens to its accounts). */
export async function deleteConnectionFromForm(input: z.infer<typeof deleteSchema>, { tx, admin, command }: ActionContext) {
  try {
    const r = await deleteConnectionAndIdentities(tx, { organizationId: admin.organizationId, connectionId: input.connectionId, force: Boolean(input.confirm) }, command);
    if (r.forced && input.confirm !== r.name) throw new AppError('invalid_input', `Type the connection’s name, ${r.name}, to delete it.`);
    return { message: `Deleted ${r.name}: ${r.identities} sign-in identit${r.identities === 1 ? 'y' : 'ies'} removed, ${r.sessionsRevoked} session${r.sessionsRevoked === 1 ? '' : 's'} ended; its accounts are kept.` };
  } catch (error) {
    if (error instanceof AppError && error.details?.reason === 'in_use') throw new AppError('conflict', error.message.replace(/Confirm to delete it anyway\.$/, 'Type its name to delete it anyway.'));
    throw error;
  }
}

export const refreshMetadataSchema = z.object({ connectionId: z.string() });

/**
 * "Refresh metadata" on a SAML connection's page: its metadata URL read again now. The refresh
 * commits in its own unit of work (with its audit event, also when it fails), so a failure is
 * answered as the form's error and is still on the trail.
 */
export async function refreshMetadataFromForm(input: z.infer<typeof refreshMetadataSchema>, { db, admin }: ActionContext, deps: Deps = {}) {
  const result = await refreshSamlMetadata(db, { organizationId: admin.organizationId, connectionId: input.connectionId }, { actor: admin.actor, fetch: { fetch: deps.fetch, timeoutMs: deps.metadataTimeoutMs } });
  if (result.outcome === 'failed' || result.outcome === 'refused') throw new AppError('precondition_failed', result.message, { reason: result.reason });
  return { message: result.message };
}
