import type { Tx } from '@/db';
import { findAccountsByIds } from '@/db/queries/accounts';
import { findConnectionsByOrganization } from '@/db/queries/connections';
import { findScimRequests, type ScimRequestLogRow } from '@/db/queries/scim-requests';
import { findScimTokens } from '@/db/queries/scim-tokens';
import { getEnv } from '@/lib/env';

/**
 * The SCIM page (`/admin/scim`), without Next.js: the organization's tokens (never a token itself)
 * and its recent SCIM requests, refusals first (the newest REQUESTS_SHOWN of them), then the newest
 * REQUESTS_SHOWN of the rest; `outcome=refused` shows refusals only.
 */
export const REQUESTS_SHOWN = 100;
export const SCIM_OUTCOMES = ['all', 'refused'] as const;
export type ScimOutcome = (typeof SCIM_OUTCOMES)[number];

/** `?outcome=` of the page (anything else: all). */
export function scimOutcomeOf(value: string | string[] | undefined): ScimOutcome {
  return value === 'refused' ? 'refused' : 'all';
}

/** The SCIM base URL to give the IdP (Entra ID also wants `?aadOptscim062020`, see entraTenantUrl). */
export function scimBaseUrl(): string {
  return `${(getEnv().NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, '')}/api/scim/v2`;
}
export const entraTenantUrl = (baseUrl: string) => `${baseUrl}?aadOptscim062020`;

export type ScimTokenView = {
  id: string;
  name: string;
  tokenPrefix: string;
  connectionName: string | null;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};
export type ScimRequestView = Omit<ScimRequestLogRow, 'tokenId' | 'connectionId'> & { refused: boolean };

/** "admin:<account id>"-style or bare account ids as the person's name; the CLI's and others as they are. */
async function creatorNames(db: Tx, organizationId: string, createdBy: (string | null)[]) {
  const ids = createdBy.flatMap((by) => (by ? [by.slice(by.indexOf(':') + 1)] : []));
  const accounts = await findAccountsByIds(db, organizationId, ids);
  const names = new Map(accounts.map((a) => [a.id, a.displayName ?? a.userName]));
  return (by: string | null) => (by ? (names.get(by.slice(by.indexOf(':') + 1)) ?? by) : null);
}

export async function loadScimPage(db: Tx, organizationId: string, options: { outcome: ScimOutcome }) {
  const [tokens, connections, refused, succeeded] = await Promise.all([
    findScimTokens(db, organizationId),
    findConnectionsByOrganization(db, organizationId),
    findScimRequests(db, organizationId, { outcome: 'refused', limit: REQUESTS_SHOWN }),
    options.outcome === 'all' ? findScimRequests(db, organizationId, { outcome: 'succeeded', limit: REQUESTS_SHOWN }) : Promise.resolve([]),
  ]);
  const connectionName = new Map(connections.map((c) => [c.id, c.name]));
  const creator = await creatorNames(db, organizationId, tokens.map((t) => t.createdBy));
  const request = ({ tokenId: _t, connectionId: _c, ...row }: ScimRequestLogRow): ScimRequestView => ({ ...row, refused: row.status >= 400 });
  return {
    baseUrl: scimBaseUrl(),
    tokens: tokens.map(
      (t): ScimTokenView => ({
        id: t.id,
        name: t.name,
        tokenPrefix: t.tokenPrefix,
        connectionName: t.connectionId ? (connectionName.get(t.connectionId) ?? null) : null,
        createdAt: t.createdAt,
        createdBy: creator(t.createdBy),
        lastUsedAt: t.lastUsedAt,
        revokedAt: t.revokedAt,
      }),
    ),
    connections: connections.map((c) => ({ id: c.id, name: c.name })),
    requests: [...refused.map(request), ...succeeded.map(request)],
    shown: REQUESTS_SHOWN,
  };
}
