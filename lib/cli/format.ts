/** Plain-text rendering for people; --json output bypasses this. */

export type Cell = string | number | boolean | Date | null | undefined | readonly string[];

export function cell(value: Cell): string {
  if (value === null || value === undefined || value === '') return '-';
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(value)) return value.length ? value.join(',') : '-';
  return String(value);
}

/** An aligned table with a header row; `empty` when there are no rows. */
export function table<T>(rows: readonly T[], columns: [header: string, value: (row: T) => Cell][], empty = '(none)'): string {
  if (rows.length === 0) return empty;
  const lines = [columns.map(([header]) => header), ...rows.map((row) => columns.map(([, value]) => cell(value(row)).replace(/\s+/g, ' ')))];
  const widths = columns.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  return lines.map((line) => line.map((text, i) => (i === line.length - 1 ? text : text.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** `label: value` lines, labels aligned. */
export function details(pairs: [label: string, value: Cell][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length)) + 1;
  return pairs.map(([label, value]) => `${`${label}:`.padEnd(width)} ${cell(value)}`).join('\n');
}
