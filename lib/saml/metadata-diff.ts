import { X509Certificate } from 'node:crypto';
import type { SamlConfig } from './config';

/** A signing certificate as the audit trail and the console name it. */
export type CertificateRef = { fingerprint: string; subject: string; notAfter: string };

export type MetadataDiff = {
  /** certificates, ssoUrl, ssoBinding: what differs between the stored config and the one built from the metadata. */
  changed: ('certificates' | 'ssoUrl' | 'ssoBinding')[];
  certificatesAdded: CertificateRef[];
  certificatesRemoved: CertificateRef[];
};

export function certificateRef(pem: string): CertificateRef {
  const cert = new X509Certificate(pem);
  return { fingerprint: cert.fingerprint256, subject: cert.subject.replace(/\n/g, ', '), notAfter: new Date(cert.validTo).toISOString() };
}

/** What a refresh changes: certificates compared by SHA-256 fingerprint (the PEM's line breaks do not count), SSO URL and binding. Pure. */
export function diffSamlMetadata(stored: SamlConfig, next: SamlConfig): MetadataDiff {
  const before = stored.certificates.map(certificateRef);
  const after = next.certificates.map(certificateRef);
  const has = (list: CertificateRef[], ref: CertificateRef) => list.some((c) => c.fingerprint === ref.fingerprint);
  const certificatesAdded = after.filter((c) => !has(before, c));
  const certificatesRemoved = before.filter((c) => !has(after, c));
  const changed: MetadataDiff['changed'] = [];
  if (certificatesAdded.length || certificatesRemoved.length) changed.push('certificates');
  if (stored.ssoUrl !== next.ssoUrl) changed.push('ssoUrl');
  if (stored.ssoBinding !== next.ssoBinding) changed.push('ssoBinding');
  return { changed, certificatesAdded, certificatesRemoved };
}
