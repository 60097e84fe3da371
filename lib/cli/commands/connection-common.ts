import type { Database } from '@/db';
import { insertConnection } from '@/db/queries/connections';
import { upsertRole } from '@/db/queries/roles';
import type { ClaimMapping, NewConnection } from '@/db/schema';
import { recordEvent } from '@/lib/audit/record-event';
import { getEnv } from '@/lib/env';
import { mappableFields } from '@/lib/jit/map-claims';
import { UsageError, flag, requiredString, stringList, type OptionValues } from '../command';
import { cliActor, getOrganizationOrThrow } from '../resolve';

const hostnamePattern = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const roleKeyPattern = /^[a-z0-9][a-z0-9_.:-]{0,62}$/;
export const missingKey =
  'ROSTER_ENCRYPTION_KEY is not set, so the client secret cannot be stored. Run `npm run dev` once (it generates one into .env.local), or set it: export ROSTER_ENCRYPTION_KEY="$(openssl rand -base64 32)"';

export function connectionUrls(id: string) {
  const base = (getEnv().NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  return { signInUrl: `${base}/sso/${id}`, callbackUrl: `${base}/api/auth/callback/${id}` };
}

/** What every connection takes, whatever its protocol. */
export function parseCommonInput(values: OptionValues) {
  const domains = [...new Set(stringList(values, 'domain').map((d) => d.toLowerCase()))];
  if (domains.length === 0) throw new UsageError('at least one --domain is required (an email domain this IdP may sign in)');
  const badDomain = domains.find((d) => !hostnamePattern.test(d));
  if (badDomain) throw new UsageError(`--domain ${badDomain} is not a hostname such as acme.com`);
  const defaultRoles = [...new Set(stringList(values, 'default-role'))];
  const badRole = defaultRoles.find((r) => !roleKeyPattern.test(r));
  if (badRole) throw new UsageError(`--default-role ${badRole}: role keys are lowercase letters, digits and _ . : -`);
  return {
    name: requiredString(values, 'name'),
    allowedDomains: domains,
    defaultRoles,
    jitEnabled: !flag(values, 'no-jit'),
    claimMapping: parseClaimMapping(stringList(values, 'map')),
    ...(stringList(values, 'require').length > 0 ? { requiredAttributes: parseRequired(stringList(values, 'require')) } : {}),
  };
}

const isMappable = (field: string) => (mappableFields as readonly string[]).includes(field) || /^extra\.[A-Za-z][\w-]{0,62}$/.test(field);

/** `--map department=http://schemas.xmlsoap.org/.../department` (repeat a field for fallbacks, first present wins). */
function parseClaimMapping(entries: string[]): ClaimMapping {
  const mapping: Record<string, string[]> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const field = entry.slice(0, at).trim();
    const claim = entry.slice(at + 1).trim();
    if (at < 1 || !claim) throw new UsageError(`--map ${entry}: write field=claim, e.g. department=dept`);
    if (!isMappable(field)) throw new UsageError(`--map ${field}: not a field (one of ${mappableFields.join(', ')}, or extra.<name>)`);
    (mapping[field] ??= []).push(claim);
  }
  return Object.fromEntries(Object.entries(mapping).map(([field, claims]) => [field, claims.length === 1 ? claims[0]! : claims]));
}

function parseRequired(fields: string[]): string[] {
  const bad = fields.find((f) => !isMappable(f));
  if (bad) throw new UsageError(`--require ${bad}: not a field (one of ${mappableFields.join(', ')}, or extra.<name>)`);
  return [...new Set(fields)];
}

/** CLI help lines for the options above. */
export const commonUsage: [string, string][] = [
  ['--map <field=claim>', 'claim mapping over the protocol defaults; repeat (a field twice = fallbacks)'],
  ['--require <field>', 'a field every sign-in must carry (default: email); repeat'],
];
export type CommonInput = ReturnType<typeof parseCommonInput>;

/** Stores the connection, creates missing default roles, and audits it (never the secret), in one transaction. */
export async function storeConnection(db: Database, slug: string, values: CommonInput & Omit<NewConnection, 'organizationId'>, audit: Record<string, unknown>) {
  const org = await getOrganizationOrThrow(db, slug);
  const connection = await db.transaction(async (tx) => {
    for (const roleKey of values.defaultRoles) await upsertRole(tx, { organizationId: org.id, key: roleKey, name: roleKey });
    const row = await insertConnection(tx, { organizationId: org.id, ...values });
    await recordEvent(tx, {
      organizationId: org.id,
      actor: cliActor(),
      action: 'connection.created',
      target: { type: 'connection', id: row.id },
      after: {
        protocol: values.protocol,
        name: values.name,
        allowedDomains: values.allowedDomains,
        defaultRoles: values.defaultRoles,
        jitEnabled: values.jitEnabled,
        claimMapping: values.claimMapping,
        ...audit,
      },
    });
    return row;
  });
  return { org, connection };
}

