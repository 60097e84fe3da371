/**
 * Times people type (CLI flags, console fields, claims, SCIM attributes), parsed strictly. Pure.
 *
 * - A duration is a whole number and one unit: `30m`, `8h`, `7d`, `2w` (minutes, hours, days,
 *   weeks). Nothing else: no decimals, no combinations, no bare numbers.
 * - An instant is ISO 8601: a date (`2027-03-31`) or a date and time with a zone (`Z` or
 *   `±hh:mm`), e.g. `2027-03-31T17:00:00Z`. **A date alone means 00:00 UTC that day**: the
 *   moment the day begins, as the console's date fields and `new Date('2027-03-31')` read it.
 *   A time without a zone is refused (it would depend on the machine's time zone).
 */
const UNITS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d{1,6})([mhdw])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds of a duration such as `8h`, or null when it is not one (or is zero). */
export function parseDuration(raw: string): number | null {
  const match = DURATION.exec(raw.trim().toLowerCase());
  if (!match) return null;
  const ms = Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  return ms > 0 ? ms : null;
}

/** The instant an ISO 8601 date or date-time names, or null when it is not one (or not a real date). */
export function parseInstant(raw: string): Date | null {
  const value = raw.trim().toUpperCase();
  const date = DATE.exec(value);
  const parts = date ?? DATE_TIME.exec(value);
  if (!parts) return null;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  if (date) return calendar;
  const [hour, minute, second] = [Number(parts[4]), Number(parts[5]), Number(parts[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

export const instantFormat = 'an ISO 8601 date or time such as 2027-03-31 (00:00 UTC that day) or 2027-03-31T17:00:00Z';
export const durationFormat = 'a whole number and a unit: 30m, 8h, 7d or 2w';
