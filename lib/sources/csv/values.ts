/**
 * One CSV row's cells into a `SourceRecord`, or the reasons it cannot be one. Cells are trimmed and
 * an empty cell is `null`. Emails are lower-cased and must look like an address; statuses go through
 * the status map (case-insensitive); dates are ISO (`YYYY-MM-DD`, or an ISO date-time cut to its
 * date) or the mapping's `dateFormat` for the day/month exports of HR tools.
 */
import type { ProfileField } from '@/lib/model/account';
import { unstorable } from '@/lib/model/storable-text';
import type { ColumnMap, SourceItem, SourceMapping, SourceRecord } from '@/lib/sources/types';
import { keyFields, normalizeHeader } from './mapping';

/** The day-first and month-first formats of HR exports; ISO is always accepted besides. */
export const dateFormats = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'DD.MM.YYYY'] as const;
export type DateFormat = (typeof dateFormats)[number];

export function isDateFormat(value: unknown): value is DateFormat {
  return (dateFormats as readonly unknown[]).includes(value);
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const dayMonthPatterns: Record<Exclude<DateFormat, 'YYYY-MM-DD'>, { pattern: RegExp; day: number; month: number }> = {
  'MM/DD/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, month: 1, day: 2 },
  'DD/MM/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, day: 1, month: 2 },
  'DD.MM.YYYY': { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, day: 1, month: 2 },
};

/** The ISO date a cell names, or null when it is not a real date in ISO or `format`. */
export function parseDate(text: string, format: DateFormat = 'YYYY-MM-DD'): string | null {
  const iso = isoDate.exec(text);
  if (iso) return calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  if (format === 'YYYY-MM-DD') return null;
  const { pattern, day, month } = dayMonthPatterns[format];
  const match = pattern.exec(text);
  return match ? calendarDate(Number(match[3]), Number(match[month]), Number(match[day])) : null;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function calendarDate(year: number, month: number, day: number): string | null {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : monthDays[month - 1];
  if (year < 1900 || days === undefined || day < 1 || day > days) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const emailPattern = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** Lower-cased; null when it does not look like an address. */
export function parseEmail(text: string): string | null {
  const email = text.toLowerCase();
  return emailPattern.test(email) ? email : null;
}

type Target = ColumnMap[string];
type Column = { index: number; name: string; target: Target };
export type RowMapper = (line: number, cells: string[]) => SourceItem;

const profileTargets = new Set<string>(['userName', 'displayName', 'givenName', 'familyName', 'department', 'title', 'manager']);

/** Compiles a (validated) mapping against the header into a function from a row to an item. */
export function rowMapper(mapping: SourceMapping, headers: string[], options: { dateFormat?: DateFormat } = {}): RowMapper {
  const byName = new Map(headers.map((header, index) => [normalizeHeader(header), index]));
  const columns: Column[] = Object.entries(mapping.columns).map(([name, target]) => ({ index: byName.get(normalizeHeader(name))!, name: normalizeHeader(name), target }));
  const statuses = new Map(Object.entries(mapping.statuses).map(([value, target]) => [value.trim().toLowerCase(), target === 'active']));
  const keyColumns = columns.filter((c) => (keyFields as readonly string[]).includes(c.target));
  const dateFormat = options.dateFormat ?? 'YYYY-MM-DD';

  return (line, cells) => {
    const record: SourceRecord = { line, employeeNumber: null, externalId: null, email: null, active: null, startDate: null, endDate: null, profile: {}, extraAttributes: {} };
    const reasons: string[] = [];
    for (const column of columns) {
      const text = cells[column.index]!.trim();
      // PostgreSQL cannot store U+0000 (and COPY refuses the whole load for it): the row is bad, the rest is read.
      const unstorableText = text.includes('\u0000') ? unstorable(text) : null;
      const problem = unstorableText ? `${column.target} in column '${column.name}' ${unstorableText}` : assign(record, column, text === '' ? null : text, { statuses, dateFormat });
      if (problem) reasons.push(problem);
    }
    if (reasons.length === 0 && keyColumns.every((c) => record[c.target as (typeof keyFields)[number]] === null)) {
      reasons.push(`no key: ${keyColumns.map((c) => `'${c.name}'`).join(', ')} ${keyColumns.length > 1 ? 'are' : 'is'} empty`);
    }
    return reasons.length > 0 ? { kind: 'bad', bad: { line, reason: reasons.join('; ') } } : { kind: 'record', record };
  };
}

type Context = { statuses: Map<string, boolean>; dateFormat: DateFormat };

/** Sets one mapped cell on the record; returns why it cannot, if so. */
function assign(record: SourceRecord, column: Column, value: string | null, context: Context): string | null {
  const { target } = column;
  if (target.startsWith('extra.')) {
    if (value !== null) record.extraAttributes[target.slice('extra.'.length)] = value;
    return null;
  }
  switch (target) {
    case 'employeeNumber':
      record.employeeNumber = record.profile.employeeNumber = value;
      return null;
    case 'externalId':
      record.externalId = value;
      return null;
    case 'email': {
      const email = value === null ? null : parseEmail(value);
      if (value !== null && email === null) return `email '${clip(value)}' is not an email address`;
      record.email = record.profile.email = email;
      return null;
    }
    case 'status':
      return assignStatus(record, value, context.statuses);
    case 'startDate':
    case 'endDate': {
      const date = value === null ? null : parseDate(value, context.dateFormat);
      if (value !== null && date === null) return `${target} '${clip(value)}' in column '${column.name}' is not a date (${dateHint(context.dateFormat)})`;
      record[target] = date;
      return null;
    }
    default:
      if (profileTargets.has(target)) record.profile[target as ProfileField] = value;
      return null;
  }
}

function assignStatus(record: SourceRecord, value: string | null, statuses: Map<string, boolean>): string | null {
  const active = statuses.get((value ?? '').toLowerCase());
  if (active === undefined) return value === null ? 'status is empty (and the status map has no empty value)' : `status '${clip(value)}' is not in the status map`;
  record.active = active;
  return null;
}

function dateHint(format: DateFormat): string {
  return format === 'YYYY-MM-DD' ? 'expected YYYY-MM-DD' : `expected ${format} or YYYY-MM-DD`;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
