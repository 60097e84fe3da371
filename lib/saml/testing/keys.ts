import { generate } from 'selfsigned';

export type SigningKey = { privateKey: string; certificate: string };

/** A fresh RSA key and self-signed certificate, as an IdP would sign assertions with. */
export async function generateSigningKey(options: { bits?: number; commonName?: string } = {}): Promise<SigningKey> {
  const pems = await generate([{ name: 'commonName', value: options.commonName ?? 'Roster test IdP' }], {
    keySize: options.bits ?? 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 86400_000),
  });
  return { privateKey: pems.private, certificate: pems.cert };
}
