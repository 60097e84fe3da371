import type { Tx } from '@/db';
import { getConnectionById, getConnectionByName, type ConnectionRow } from '@/db/queries/connections';
import { parseClaimMapping, parseDefaultRoles, parseDomains, parseName, parseRequired } from '@/lib/connections/connection-input';
import { AppError, isAppError } from '@/lib/errors';
import { UsageError, flag, optionalString, requiredString, stringList, type OptionValues } from '../command';

export { connectionUrls } from '@/lib/connections/idp-values';

export const missingKey =
  'ROSTER_ENCRYPTION_KEY is not set, so the client secret cannot be stored. Run `npm run dev` once (it generates one into .env.local), or set it: export ROSTER_ENCRYPTION_KEY="$(openssl rand -base64 32)"';

/** Runs a check of lib/connections/connection-input.ts: its refusal is a usage error on the flag it names. */
export function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    const field = isAppError(error) && error.code === 'invalid_input' ? error.details?.field : undefined;
    if (typeof field === 'string') throw new UsageError(`--${field} ${error instanceof Error ? error.message : ''}`);
    throw error;
  }
}

/** What every connection takes, whatever its protocol. */
export function parseCommonInput(values: OptionValues) {
  if (stringList(values, 'domain').length === 0) throw new UsageError('at least one --domain is required (an email domain this IdP may sign in)');
  return {
    name: requiredString(values, 'name'),
    allowedDomains: checked(() => parseDomains(stringList(values, 'domain'))),
    defaultRoles: checked(() => parseDefaultRoles(stringList(values, 'default-role'))),
    jitEnabled: !flag(values, 'no-jit'),
    claimMapping: checked(() => parseClaimMapping(stringList(values, 'map'))),
    ...(stringList(values, 'require').length > 0 ? { requiredAttributes: checked(() => parseRequired(stringList(values, 'require'))) } : {}),
  };
}

/** `connection update`: only the settings given change (a list flag replaces the whole list). */
export function parseCommonChanges(values: OptionValues) {
  if (flag(values, 'jit') && flag(values, 'no-jit')) throw new UsageError('give --jit or --no-jit, not both');
  if (flag(values, 'clear-map') && stringList(values, 'map').length > 0) throw new UsageError('give --map or --clear-map, not both');
  if (flag(values, 'no-default-roles') && stringList(values, 'default-role').length > 0) throw new UsageError('give --default-role or --no-default-roles, not both');
  const name = optionalString(values, 'name');
  const list = (n: string) => (stringList(values, n).length > 0 ? stringList(values, n) : undefined);
  const domains = list('domain');
  const roles = list('default-role');
  const map = list('map');
  const required = list('require');
  return {
    ...(name !== undefined ? { name: checked(() => parseName(name)) } : {}),
    ...(domains ? { allowedDomains: checked(() => parseDomains(domains)) } : {}),
    ...(roles ? { defaultRoles: checked(() => parseDefaultRoles(roles)) } : flag(values, 'no-default-roles') ? { defaultRoles: [] } : {}),
    ...(flag(values, 'jit') ? { jitEnabled: true } : flag(values, 'no-jit') ? { jitEnabled: false } : {}),
    ...(map ? { claimMapping: checked(() => parseClaimMapping(map)) } : flag(values, 'clear-map') ? { claimMapping: {} } : {}),
    ...(required ? { requiredAttributes: checked(() => parseRequired(required)) } : {}),
  };
}

/** CLI help lines for the options above. */
export const commonUsage: [string, string][] = [
  ['--map <field=claim>', 'claim mapping over the protocol defaults; repeat (a field twice = fallbacks)'],
  ['--require <field>', 'a field every sign-in must carry (default: email); repeat'],
];
export type CommonInput = ReturnType<typeof parseCommonInput>;

/** `--connection` is the connection's id or its name in the organization. */
export async function getConnectionOrThrow(db: Tx, organization: { id: string; slug: string }, idOrName: string): Promise<ConnectionRow> {
  const byId = await getConnectionById(db, idOrName);
  const row = byId?.organizationId === organization.id ? byId : await getConnectionByName(db, organization.id, idOrName);
  if (!row) throw new AppError('not_found', `no connection ${idOrName} in organization ${organization.slug} (roster connection list --org ${organization.slug})`);
  return row;
}
