import { z } from 'zod';
import type { Tx } from '@/db';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { getOrganizationSettingsForUpdate, setOrganizationSettings } from '@/db/queries/organizations';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '@/lib/lifecycle/context';

/**
 * The organization settings Roster knows, stored in organizations.settings (jsonb) beside keys it
 * does not know (kept as they are):
 * - purgeDeprovisionedAfterDays: this many days after deprovisioning, an account's personal data is
 *   erased and its identities and sessions deleted, irreversibly (db/queries/account-purge.ts); absent: never.
 * - seatPricePerMonth: the price of a seat, for the seat report's savings (lib/governance/seats.ts); absent: none.
 * - sessionMaxAgeSeconds: the longest a session of this organization lives, at most the deployment's
 *   ROSTER_SESSION_MAX_AGE; absent: the deployment's. A sign-in opens a session that long, and a
 *   session older than it is refused at its next request (db/queries/sessions.ts liveSession).
 */
export const MIN_SESSION_MAX_AGE_SECONDS = 5 * 60;

export type OrganizationSettings = { purgeDeprovisionedAfterDays?: number; seatPricePerMonth?: number; sessionMaxAgeSeconds?: number };
export const SETTING_KEYS = ['purgeDeprovisionedAfterDays', 'seatPricePerMonth', 'sessionMaxAgeSeconds'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
/** A change: a value sets the setting, null removes it (never / none / the deployment's), absent leaves it. */
export type SettingsChange = { [K in SettingKey]?: number | null };

export function organizationSettingsSchema(deploymentSessionMaxAge: number) {
  return z.object({
    purgeDeprovisionedAfterDays: z.number({ error: 'Purge after must be a whole number of days.' }).int('Purge after must be a whole number of days.').min(1, 'Purge after must be at least 1 day.').max(36500, 'Purge after must be at most 36,500 days.').optional(),
    seatPricePerMonth: z.number({ error: 'Seat price must be a number.' }).finite('Seat price must be a number.').min(0, 'Seat price must be at least 0.').optional(),
    sessionMaxAgeSeconds: z
      .number({ error: 'Session lifetime must be a whole number of seconds.' })
      .int('Session lifetime must be a whole number of seconds.')
      .min(MIN_SESSION_MAX_AGE_SECONDS, 'Session lifetime must be at least 5 minutes (300 seconds).')
      .max(deploymentSessionMaxAge, `Session lifetime must be at most the deployment's ${deploymentSessionMaxAge} seconds (ROSTER_SESSION_MAX_AGE).`)
      .optional(),
  });
}

/** What knownSettings reads with, built once: every sign-in reads the settings (built per call, it was 4% of a JIT sign-in's CPU). */
const readSchema = organizationSettingsSchema(Number.MAX_SAFE_INTEGER);

/** The known settings of a stored settings object; a stored value that is not valid reads as absent. */
export function knownSettings(stored: Record<string, unknown> | null): OrganizationSettings {
  const out: OrganizationSettings = {};
  for (const key of SETTING_KEYS) {
    const parsed = readSchema.shape[key].safeParse(stored?.[key]);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out;
}

export async function readOrganizationSettings(db: Tx, organizationId: string): Promise<OrganizationSettings> {
  const stored = await getOrganizationSettings(db, organizationId);
  if (stored === null) throw new AppError('not_found', 'No such organization.');
  return knownSettings(stored);
}

/** The session lifetime of a sign-in: the deployment's, or the organization's when shorter. */
export function sessionMaxAgeFor(settings: Record<string, unknown> | null, deploymentSeconds: number): number {
  const own = knownSettings(settings).sessionMaxAgeSeconds;
  return own === undefined ? deploymentSeconds : Math.min(own, deploymentSeconds);
}

/**
 * Changes the organization's settings: the given keys set (null removes), every other key kept;
 * an invalid value refused with the rule it breaks (invalid_input, nothing written). Audited
 * organization.settings_changed with the known settings before and after; no change, no event.
 */
export async function updateOrganizationSettings(
  tx: Tx,
  input: { organizationId: string; changes: SettingsChange; deploymentSessionMaxAge: number },
  ctx: CommandContext,
): Promise<{ settings: OrganizationSettings; changed: SettingKey[] }> {
  const stored = await getOrganizationSettingsForUpdate(tx, input.organizationId);
  if (stored === null) throw new AppError('not_found', 'No such organization.');
  const given = Object.fromEntries(Object.entries(input.changes).filter(([k, v]) => (SETTING_KEYS as readonly string[]).includes(k) && v !== undefined && v !== null));
  const parsed = organizationSettingsSchema(input.deploymentSessionMaxAge).safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('invalid_input', issue.message, { field: String(issue.path[0] ?? 'form') });
  }
  const before = knownSettings(stored);
  const next: Record<string, unknown> = { ...stored };
  for (const key of SETTING_KEYS) {
    const value = input.changes[key];
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = parsed.data[key];
  }
  const after = knownSettings(next);
  const changed = SETTING_KEYS.filter((k) => before[k] !== after[k] || (input.changes[k] === null && k in stored));
  if (changed.length === 0) return { settings: after, changed };
  await setOrganizationSettings(tx, input.organizationId, next);
  ctx.record({
    organizationId: input.organizationId,
    actor: ctx.actor,
    action: 'organization.settings_changed',
    target: { type: 'organization', id: input.organizationId },
    before: pick(before, changed),
    after: pick(after, changed),
    data: { changed },
  });
  return { settings: after, changed };
}

function pick(s: OrganizationSettings, keys: SettingKey[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, s[k] ?? null]));
}
