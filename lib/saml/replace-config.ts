import { readSamlConfig, type SamlConfig, type SamlConfigInput } from './config';
import { buildSamlConnectionConfig } from './idp-metadata';

/**
 * A SAML connection's new stored settings when an admin replaces the IdP's side (CLI `connection
 * update`, the console's connection page): new metadata replaces the entity ID, SSO URL, binding and
 * certificates; manual values change one value each; the connection's own options (IdP-initiated
 * sign-in, SHA-1, …) stay. The metadata URL: a new one is kept (the daily refresh reads it), null
 * drops it (the refresh stops), undefined keeps the stored one. Returns the saml_metadata column
 * only when new metadata was given (else the stored document stays).
 */
export type SamlReplacement = {
  metadataXml?: string;
  /** With metadata holding several IdPs: which one. */
  entityId?: string;
  manual?: Partial<SamlConfigInput>;
  metadataUrl?: string | null;
};

export function replaceSamlConfig(stored: unknown, change: SamlReplacement): { samlMetadata?: string | null; samlConfig: SamlConfig } {
  const { metadataUrl: kept, ...current } = (readSamlConfig(stored) ?? {}) as Partial<SamlConfigInput>;
  const { idpEntityId: _e, ssoUrl: _s, ssoBinding: _b, certificates: _c, ...options } = current;
  const url = change.metadataUrl === undefined ? kept : change.metadataUrl;
  const settings = { ...(change.metadataXml ? options : current), ...change.manual, ...(url ? { metadataUrl: url } : {}) };
  const built = buildSamlConnectionConfig({ metadataXml: change.metadataXml, entityId: change.metadataXml ? change.entityId : undefined, settings });
  return change.metadataXml ? built : { samlConfig: built.samlConfig };
}
