import type { Tx } from '@/db';
import { findConnectionsByDomain } from '@/db/queries/connections';
import { emailDomain } from './map-claims';

export type DiscoveryResult =
  | { kind: 'invalid' }
  | { kind: 'none'; domain: string }
  | { kind: 'found'; connections: { id: string; name: string; protocol: 'oidc' | 'saml'; organizationName: string }[] };

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Home-realm discovery: which enabled connections accept this email's domain. */
export async function discoverConnections(db: Tx, email: string): Promise<DiscoveryResult> {
  const trimmed = email.trim().toLowerCase();
  if (!emailPattern.test(trimmed) || trimmed.length > 320) return { kind: 'invalid' };
  const domain = emailDomain(trimmed);
  const connections = await findConnectionsByDomain(db, domain);
  return connections.length === 0 ? { kind: 'none', domain } : { kind: 'found', connections };
}
