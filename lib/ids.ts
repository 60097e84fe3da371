/**
 * Roster's ids are Postgres uuids. An id from a URL is checked with this before it reaches a query:
 * Postgres refuses to cast anything else (a 500), and such an id names nothing anyway.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
