import { appUrl, spUrls } from '@/lib/saml/sp-metadata';

/**
 * What an admin gives the identity provider for a connection, and where its users start signing
 * in: the OIDC callback (redirect) URL, or the SAML SP entity ID, ACS URL and SP metadata URL.
 * The CLI prints them and the console shows them with copy buttons.
 */
export function connectionUrls(id: string) {
  const base = appUrl();
  return { signInUrl: `${base}/sso/${id}`, callbackUrl: `${base}/api/auth/callback/${id}` };
}

export type IdpValues = { signInUrl: string } & ({ protocol: 'oidc'; callbackUrl: string } | { protocol: 'saml'; spEntityId: string; acsUrl: string; spMetadataUrl: string });

export function idpValues(connection: { id: string; protocol: 'oidc' | 'saml' }): IdpValues {
  const { signInUrl, callbackUrl } = connectionUrls(connection.id);
  if (connection.protocol === 'oidc') return { protocol: 'oidc', signInUrl, callbackUrl };
  const sp = spUrls(appUrl(), connection.id);
  return { protocol: 'saml', signInUrl, spEntityId: sp.entityId, acsUrl: sp.acsUrl, spMetadataUrl: sp.metadataUrl };
}
