import { getConnectionById } from '@/db/queries/connections';
import { findScimTokens } from '@/db/queries/scim-tokens';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { createScimToken, revokeScimToken } from '@/lib/scim/create-token';
import { optionalString, orgOption, requiredString, type Command } from '../command';
import { details, table } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';

const scimBaseUrl = () => `${(getEnv().NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, '')}/api/scim/v2`;

const create: Command = {
  name: 'scim-token create',
  summary: 'Create a SCIM bearer token for an organization (shown once)',
  usage: [
    ['--org <slug>', 'the organization the token provisions into'],
    ['--name <text>', 'what the token is for, e.g. "Okta" (default: SCIM)'],
    ['--connection <id>', 'tie it to a connection: its attribute rules and default roles apply to pushed users'],
  ],
  options: { ...orgOption, name: { type: 'string' }, connection: { type: 'string' } },
  prepare: (values) => {
    const slug = requiredString(values, 'org');
    const name = optionalString(values, 'name') ?? 'SCIM';
    const connectionId = optionalString(values, 'connection') ?? null;
    return async ({ db }) => {
      const created = await db.transaction(async (tx) => {
        const org = await getOrganizationOrThrow(tx, slug);
        const connection = connectionId ? await getConnectionById(tx, connectionId) : null;
        if (connectionId && connection?.organizationId !== org.id) throw new AppError('not_found', `no connection ${connectionId} in organization ${slug}`);
        return createScimToken(tx, { organizationId: org.id, connectionId, name }, cliActor());
      });
      const baseUrl = scimBaseUrl();
      return {
        data: { id: created.id, name: created.name, baseUrl, token: created.token, tokenPrefix: created.tokenPrefix },
        text: `${details([
          ['SCIM base URL', baseUrl],
          ['Token', created.token],
          ['Name', created.name],
          ['Id', created.id],
        ])}\n\nPaste both into the IdP's provisioning settings (Entra ID: Tenant URL ${baseUrl}?aadOptscim062020, Secret Token).\nThe token is shown only now; Roster stores only its hash.`,
      };
    };
  },
};

const list: Command = {
  name: 'scim-token list',
  summary: "List an organization's SCIM tokens (never the tokens themselves)",
  usage: [['--org <slug>', 'the organization']],
  options: { ...orgOption },
  prepare: (values) => {
    const slug = requiredString(values, 'org');
    return async ({ db }) => {
      const rows = await findScimTokens(db, (await getOrganizationOrThrow(db, slug)).id);
      return {
        data: rows,
        text: table(rows, [
          ['ID', (r) => r.id],
          ['NAME', (r) => r.name],
          ['PREFIX', (r) => `${r.tokenPrefix}…`],
          ['CREATED', (r) => r.createdAt],
          ['LAST USED', (r) => r.lastUsedAt],
          ['REVOKED', (r) => r.revokedAt],
        ]),
      };
    };
  },
};

const revoke: Command = {
  name: 'scim-token revoke',
  summary: 'Revoke a SCIM token: the IdP using it is refused at once',
  usage: [
    ['--org <slug>', 'the organization'],
    ['--id <token id>', 'from scim-token list'],
  ],
  options: { ...orgOption, id: { type: 'string' } },
  prepare: (values) => {
    const slug = requiredString(values, 'org');
    const tokenId = requiredString(values, 'id');
    return async ({ db }) => {
      const row = await db.transaction(async (tx) => {
        const org = await getOrganizationOrThrow(tx, slug);
        return revokeScimToken(tx, { organizationId: org.id, tokenId }, cliActor());
      });
      return { data: row, text: `Revoked SCIM token ${row.name} (${row.tokenPrefix}…)` };
    };
  },
};

export const scimTokenCommands = [create, list, revoke];
