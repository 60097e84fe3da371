import { X509Certificate } from 'node:crypto';

/** A SAML signing certificate is warned about this many days before it expires. */
export const CERTIFICATE_WARNING_DAYS = 30;

export type CertificateExpiry = { subject: string; notAfter: Date; daysLeft: number; state: 'ok' | 'soon' | 'expired' };

/** When each of a connection's IdP certificates expires, and whether to warn (30 days ahead) or say it expired. */
export function certificateExpiry(pems: readonly string[], now: Date): CertificateExpiry[] {
  return pems.flatMap((pem) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      return [];
    }
    const notAfter = new Date(cert.validTo);
    const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
    const state = notAfter.getTime() <= now.getTime() ? 'expired' : daysLeft < CERTIFICATE_WARNING_DAYS ? 'soon' : 'ok';
    return [{ subject: cert.subject.replace(/\n/g, ', '), notAfter, daysLeft, state }];
  });
}
