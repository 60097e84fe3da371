import { parseClientId, parseIssuer } from '@/lib/connections/connection-input';
import { idpValues } from '@/lib/connections/idp-values';
import { encryptSecret } from '@/lib/crypto/secret-box';
import { getEnv } from '@/lib/env';
import { AppError, isAppError } from '@/lib/errors';
import { inTransaction } from '@/lib/lifecycle/context';
import { deleteConnectionAndIdentities } from '@/lib/lifecycle/connection/delete-connection';
import { setConnectionEnabled } from '@/lib/lifecycle/connection/set-connection-enabled';
import { updateConnectionSettings, type ConnectionChanges } from '@/lib/lifecycle/connection/update-connection';
import { UsageError, flag, optionalString, orgOption, requiredString, type Command } from '../command';
import { details } from '../format';
import { cliActor, getOrganizationOrThrow } from '../resolve';
import { checked, commonUsage, getConnectionOrThrow, missingKey, parseCommonChanges } from './connection-common';
import { samlChanges, samlOptions, samlUsage } from './connection-saml';

/**
 * `roster connection update|disable|enable|delete`: thin over lib/lifecycle/connection (one
 * transaction each, audited connection.updated / .disabled / .enabled / .deleted).
 */
const which = { ...orgOption, connection: { type: 'string' } } as const;
const whichUsage: [string, string][] = [
  ['--org <slug>', 'the organization'],
  ['--connection <id|name>', 'the connection (roster connection list)'],
];

const update: Command = {
  name: 'connection update',
  summary: "Change a connection's settings: only the options given change (a repeated option replaces the whole list)",
  usage: [
    ...whichUsage,
    ['--name <name>', 'shown on the sign-in page'],
    ['--domain <domain>', 'the email domains allowed to sign in (replaces them); repeat'],
    ['--jit | --no-jit', 'create accounts at first sign-in, or not'],
    ...commonUsage,
    ['--clear-map', 'drop the claim mapping (the protocol defaults apply)'],
    ['--default-role <key>', 'the roles every user of this connection gets (replaces them); repeat'],
    ['--no-default-roles', 'no default roles'],
    ['--issuer <url>', 'OIDC: the issuer'],
    ['--client-id <id>', 'OIDC: the client id'],
    ['--client-secret <secret>', 'OIDC: a new client secret (stored encrypted, never shown)'],
    ...samlUsage,
    ['--no-idp-initiated', 'SAML: refuse IdP-initiated sign-in again'],
    ['--no-sha1', 'SAML: refuse SHA-1 signatures again'],
    ['--no-metadata-url', 'SAML: forget the metadata URL (the daily refresh stops); --metadata FILE forgets it too'],
  ],
  options: {
    ...which,
    name: { type: 'string' },
    domain: { type: 'string', multiple: true },
    jit: { type: 'boolean' },
    'no-jit': { type: 'boolean' },
    map: { type: 'string', multiple: true },
    'clear-map': { type: 'boolean' },
    require: { type: 'string', multiple: true },
    'default-role': { type: 'string', multiple: true },
    'no-default-roles': { type: 'boolean' },
    issuer: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    ...samlOptions,
    'no-idp-initiated': { type: 'boolean' },
    'no-sha1': { type: 'boolean' },
    'no-metadata-url': { type: 'boolean' },
  },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const ref = requiredString(values, 'connection');
    const issuer = optionalString(values, 'issuer');
    const clientId = optionalString(values, 'client-id');
    const secret = optionalString(values, 'client-secret');
    const key = getEnv().ROSTER_ENCRYPTION_KEY;
    if (secret && !key) throw new AppError('precondition_failed', missingKey);
    const changes: ConnectionChanges = {
      ...parseCommonChanges(values),
      ...(issuer ? { issuer: checked(() => parseIssuer(issuer)) } : {}),
      ...(clientId ? { clientId: checked(() => parseClientId(clientId)) } : {}),
      ...(secret ? { clientSecretEncrypted: encryptSecret(secret, key!) } : {}),
    };
    const saml = samlChanges(values);
    if (Object.keys(changes).length === 0 && !saml) throw new UsageError('nothing to change: give at least one setting (roster connection update --help)');
    return async ({ db }) => {
      const result = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
        const org = await getOrganizationOrThrow(tx, slug);
        const current = await getConnectionOrThrow(tx, org, ref);
        if (saml && current.protocol !== 'saml') throw new UsageError(`${current.name} is an OIDC connection: the SAML options do not apply to it`);
        const built = saml ? await saml(current.samlConfig) : {};
        return updateConnectionSettings(tx, { organizationId: org.id, connectionId: current.id, changes: { ...changes, ...built } }, ctx);
      });
      const c = result.connection;
      return {
        data: { ...c, ...idpValues(c), changed: result.changed },
        text: [
          result.changed.length ? `Changed connection "${c.name}": ${result.changed.join(', ')}` : `Nothing changed: connection "${c.name}" already has these settings`,
          details([
            ['id', c.id],
            ['enabled', c.enabled],
            ['domains', c.allowedDomains],
            ['jit', c.jitEnabled],
            ['required', c.requiredAttributes],
            ['default roles', c.defaultRoles],
            ['claim mapping', Object.entries(c.claimMapping).map(([f, v]) => `${f}=${Array.isArray(v) ? v.join('|') : v}`)],
          ]),
          result.changed.some((k) => ['claimMapping', 'requiredAttributes', 'defaultRoles'].includes(k)) ? 'The mapping, required claims and default roles apply from each account’s next sign-in.' : '',
        ]
          .filter(Boolean)
          .join('\n'),
      };
    };
  },
};

function toggle(enabled: boolean): Command {
  return {
    name: enabled ? 'connection enable' : 'connection disable',
    summary: enabled
      ? 'Turn a disabled connection back on: its users sign in through it again'
      : 'Turn a connection off: sign-ins through it are refused and its sessions end; nothing is deleted, its accounts stay as they are',
    usage: whichUsage,
    options: which,
    prepare(values) {
      const slug = requiredString(values, 'org');
      const ref = requiredString(values, 'connection');
      return async ({ db }) => {
        const result = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
          const org = await getOrganizationOrThrow(tx, slug);
          const current = await getConnectionOrThrow(tx, org, ref);
          return setConnectionEnabled(tx, { organizationId: org.id, connectionId: current.id, enabled }, ctx);
        });
        const name = result.connection.name;
        const text = !result.changed
          ? `Connection "${name}" is already ${enabled ? 'enabled' : 'disabled'}: nothing changed`
          : enabled
            ? `Enabled connection "${name}": its users can sign in through it again`
            : `Disabled connection "${name}": sign-ins through it are refused (“turned off”), ${result.sessionsRevoked} session(s) through it ended. Nothing was deleted: its ${result.accounts} account(s) keep their status, roles and identities and can sign in through other connections; SCIM tokens tied to it keep working (roster scim-token revoke). Undo: roster connection enable`;
        return { data: { connectionId: result.connection.id, name, enabled: result.connection.enabled, changed: result.changed, sessionsRevoked: result.sessionsRevoked, accounts: result.accounts }, text };
      };
    },
  };
}

const remove: Command = {
  name: 'connection delete',
  summary: 'Delete a connection: its accounts stay, their sign-in identities through it go; refused while accounts sign in through it unless --force',
  usage: [...whichUsage, ['--force', 'delete even though accounts sign in through it (their identities through it are deleted, their sessions end)']],
  options: { ...which, force: { type: 'boolean' } },
  prepare(values) {
    const slug = requiredString(values, 'org');
    const ref = requiredString(values, 'connection');
    const force = flag(values, 'force');
    return async ({ db }) => {
      let result;
      try {
        result = await inTransaction(db, { actor: cliActor() }, async (tx, ctx) => {
          const org = await getOrganizationOrThrow(tx, slug);
          const current = await getConnectionOrThrow(tx, org, ref);
          return deleteConnectionAndIdentities(tx, { organizationId: org.id, connectionId: current.id, force }, ctx);
        });
      } catch (error) {
        if (isAppError(error) && error.details?.reason === 'in_use') throw new AppError('conflict', error.message.replace(/Confirm to delete it anyway\.$/, 'Nothing was deleted; add --force to delete it anyway (or roster connection disable to turn it off and keep everything).'), error.details);
        throw error;
      }
      return {
        data: result,
        text: `Deleted connection "${result.name}": ${result.identities} sign-in identit${result.identities === 1 ? 'y' : 'ies'} of ${result.accounts} account(s) deleted (the accounts stay), ${result.sessionsRevoked} session(s) ended, ${result.rolesRevoked} default-role grant(s) revoked`,
      };
    };
  },
};

export const connectionChangeCommands = [update, toggle(false), toggle(true), remove];
