import { parseInstant } from '@/lib/policy/parse-time';
import { isObject, type Json, type JsonObject } from './normalize';
import { badRequest } from './scim-error';
import { ROSTER_USER_SCHEMA } from './scimmy';

/**
 * `endDate` of Roster's User extension (scimmy.ts: ROSTER_USER_SCHEMA), checked strictly on what the
 * IdP sent, before scimmy's dateTime coercion (which would roll 2027-02-30 over into March): an
 * RFC 7643 dateTime, or a date alone (00:00 UTC that day) — lib/policy/parse-time.ts. Anything else
 * is a 400 invalidValue and nothing is written.
 */
export function endDateOrThrow(value: Json | undefined): Date | null | undefined {
  if (value === undefined || value === null) return value;
  const at = typeof value === 'string' ? parseInstant(value) : null;
  if (!at) throw badRequest('invalidValue', `${ROSTER_USER_SCHEMA}:endDate must be an ISO 8601 date-time such as 2027-03-31T17:00:00Z`);
  return at;
}

/** The extension's endDate of a User body (as normalize.ts nests it). */
export function endDateOfBody(user: JsonObject): Json | undefined {
  const ext = user[ROSTER_USER_SCHEMA];
  return isObject(ext ?? null) ? (ext as JsonObject).endDate : undefined;
}
