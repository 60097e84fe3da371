/**
 * A CSV source's mapping, checked: against itself (a key column, one column per field, a status map
 * when status is mapped), against a file's header (`validateMapping`, also the dashboard's live
 * check), and parsed from the CLI's `--map column=field` and `--status-map value=active|inactive`.
 */
import { AppError } from '@/lib/errors';
import { mappableFields, type ColumnMap, type SourceMapping, type StatusMap } from '@/lib/sources/types';

/** The fields that can match a row to an account; a mapping needs at least one. */
export const keyFields = ['employeeNumber', 'externalId', 'email'] as const;

const extraPattern = /^extra\.[A-Za-z][\w-]{0,62}$/;
const statusTargets = ['active', 'inactive'] as const;

/** The header problems that stop a file before its first record, as one typed error (CLI: exit 2). */
export class CsvHeaderError extends AppError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('invalid_input', `the CSV header does not fit the mapping: ${problems.join('; ')}`, { problems });
    this.name = 'CsvHeaderError';
    this.problems = problems;
  }
}

/** A header cell as compared: trimmed, a stray BOM dropped. */
export function normalizeHeader(name: string): string {
  return name.replace(/^\uFEFF/, '').trim();
}

export function isColumnTarget(value: unknown): value is ColumnMap[string] {
  return typeof value === 'string' && ((mappableFields as readonly string[]).includes(value) || extraPattern.test(value));
}

/** What is wrong with a mapping by itself (no file needed): empty when it can read a file. */
export function mappingProblems(mapping: SourceMapping): string[] {
  const problems: string[] = [];
  const columnsByTarget = new Map<string, string[]>();
  for (const [column, target] of Object.entries(mapping.columns)) {
    if (!isColumnTarget(target)) problems.push(`column '${column}' maps to '${String(target)}', which is not a field (${allowedTargets()})`);
    else columnsByTarget.set(target, [...(columnsByTarget.get(target) ?? []), column]);
  }
  for (const [target, columns] of columnsByTarget) {
    if (columns.length > 1) problems.push(`${target} is mapped from ${columns.length} columns: ${columns.map((c) => `'${c}'`).join(', ')}`);
  }
  if (!keyFields.some((key) => columnsByTarget.has(key))) problems.push(`no key column: map a column to one of ${keyFields.join(', ')}`);
  if (columnsByTarget.has('status') && Object.keys(mapping.statuses).length === 0) {
    problems.push('status is mapped but the status map is empty: say which values are active and which inactive');
  }
  return [...problems, ...statusMapProblems(mapping.statuses)];
}

/** Duplicate or empty header names. */
export function headerProblems(headers: string[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  headers.forEach((raw, index) => {
    const name = normalizeHeader(raw);
    if (name === '') problems.push(`column ${index + 1} of the header has no name`);
    else if (seen.has(name)) problems.push(`the header names '${name}' twice (columns ${seen.get(name)! + 1} and ${index + 1})`);
    else seen.set(name, index);
  });
  return problems;
}

/** Everything that stops a file with this header from being read with this mapping; empty when it fits. */
export function validateMapping(mapping: SourceMapping, headers: string[]): string[] {
  const names = new Set(headers.map(normalizeHeader));
  const missing = Object.keys(mapping.columns)
    .map(normalizeHeader)
    .filter((column) => !names.has(column))
    .map((column) => `mapped column '${column}' is not in the header${nearMiss(column, names)}`);
  return [...headerProblems(headers), ...missing, ...mappingProblems(mapping)];
}

/**
 * `--map column=field` (repeatable; field `ignore` drops the column) and `--status-map
 * value=active|inactive` into a mapping. Split at the last `=`, so a column name may contain one.
 * Throws `invalid_input` listing every problem. An empty `--map` list gives an empty mapping
 * (a SCIM source has none); otherwise the result is checked with `mappingProblems`.
 */
export function parseMappingFlags(flags: { map: string[]; statusMap: string[] }): SourceMapping {
  const problems: string[] = [];
  const columns: ColumnMap = {};
  const seen = new Set<string>();
  for (const entry of flags.map) {
    const pair = splitPair(entry);
    if (!pair) problems.push(`--map '${entry}': write column=field, e.g. "Employee ID=employeeNumber"`);
    else if (seen.has(pair.key)) problems.push(`--map: column '${pair.key}' is mapped twice`);
    else if ((seen.add(pair.key), pair.value === 'ignore')) continue;
    else if (!isColumnTarget(pair.value)) problems.push(`--map '${entry}': '${pair.value}' is not a field (${allowedTargets()})`);
    else columns[pair.key] = pair.value;
  }
  const statuses: StatusMap = {};
  for (const entry of flags.statusMap) {
    const pair = splitPair(entry);
    if (!pair) problems.push(`--status-map '${entry}': write value=active or value=inactive, e.g. Terminated=inactive`);
    else if (!(statusTargets as readonly string[]).includes(pair.value)) problems.push(`--status-map '${entry}': '${pair.value}' must be active or inactive`);
    else statuses[pair.key] = pair.value as StatusMap[string];
  }
  const mapping = { columns, statuses };
  if (problems.length === 0 && flags.map.length > 0) problems.push(...mappingProblems(mapping));
  if (problems.length > 0) throw new AppError('invalid_input', problems.join('; '), { problems });
  return mapping;
}

function statusMapProblems(statuses: StatusMap): string[] {
  const problems: string[] = [];
  const seen = new Map<string, { value: string; target: string }>();
  for (const [value, target] of Object.entries(statuses)) {
    if (!(statusTargets as readonly string[]).includes(target)) problems.push(`status '${value}' maps to '${String(target)}': it must be active or inactive`);
    const key = value.trim().toLowerCase();
    const earlier = seen.get(key);
    if (earlier && earlier.target !== target) problems.push(`status '${earlier.value}' and '${value}' are the same value (case and spaces aside) mapped both ways`);
    seen.set(key, { value, target });
  }
  return problems;
}

function splitPair(entry: string): { key: string; value: string } | null {
  const at = entry.lastIndexOf('=');
  const key = normalizeHeader(entry.slice(0, Math.max(at, 0)));
  const value = entry.slice(at + 1).trim();
  return at < 1 || key === '' || value === '' ? null : { key, value };
}

function allowedTargets(): string {
  return `one of ${mappableFields.join(', ')}, or extra.<name>`;
}

/** " (the header has 'work email')" when only case or spacing differ. */
function nearMiss(column: string, names: Set<string>): string {
  const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  const close = [...names].find((name) => squash(name) === squash(column));
  return close ? ` (the header has '${close}')` : '';
}
