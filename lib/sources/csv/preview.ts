/**
 * A first look at an HR export for the dashboard's "map columns with a preview": its header, its
 * first rows as raw cells, the status values seen in a sample, and a suggested mapping with the
 * problems it would still have. Reads only the sample, never the whole file.
 */
import type { BadRow, SourceMapping } from '@/lib/sources/types';
import { CsvHeaderError, normalizeHeader, validateMapping } from './mapping';
import { readCsvRows, type CsvInput } from './reader';
import { suggestColumns, suggestStatuses } from './suggest';

export type CsvPreview = {
  headers: string[];
  /** The first rows, cells as written (untrimmed), with their lines. */
  rows: { line: number; cells: string[] }[];
  /** Unreadable rows met while sampling (at most the first 20). */
  badRows: BadRow[];
  /** The column the status values come from: the one asked for, else the suggested status column. */
  statusColumn: string | null;
  /** Distinct status values in the sample (trimmed, first spelling kept, at most 100), in order of appearance. */
  statusValues: string[];
  suggested: SourceMapping;
  /** What `validateMapping` says of the suggestion against this header (empty: it would read the file). */
  problems: string[];
};

export type PreviewOptions = { rows?: number; sampleRows?: number; statusColumn?: string };

const MAX_STATUS_VALUES = 100;
const MAX_BAD_ROWS = 20;

/** Throws `CsvHeaderError` only when there is no header to show (an empty or unreadable file). */
export async function previewCsv(input: CsvInput, { rows = 5, sampleRows = 1000, statusColumn }: PreviewOptions = {}): Promise<CsvPreview> {
  let headers: string[] | null = null;
  let statusIndex = -1;
  const preview: Pick<CsvPreview, 'rows' | 'badRows' | 'statusValues'> = { rows: [], badRows: [], statusValues: [] };
  const seenStatuses = new Set<string>();
  let sampled = 0;
  let columns: SourceMapping['columns'] = {};
  for await (const row of readCsvRows(input)) {
    if (headers === null) {
      if (row.kind === 'broken') throw new CsvHeaderError([`the header (line ${row.line}) cannot be read: ${row.reason}`]);
      headers = row.cells.map(normalizeHeader);
      columns = suggestColumns(headers);
      statusColumn = statusColumn ?? Object.keys(columns).find((column) => columns[column] === 'status');
      statusIndex = statusColumn === undefined ? -1 : headers.indexOf(normalizeHeader(statusColumn));
      continue;
    }
    if (row.kind === 'broken') {
      preview.badRows.push({ line: row.line, reason: row.reason });
      break;
    }
    if (preview.rows.length < rows) preview.rows.push({ line: row.line, cells: row.cells });
    if (row.cells.length !== headers.length && preview.badRows.length < MAX_BAD_ROWS) {
      preview.badRows.push({ line: row.line, reason: `the row has ${row.cells.length} cells, the header has ${headers.length}` });
    }
    const status = row.cells[statusIndex]?.trim();
    if (status && !seenStatuses.has(status.toLowerCase()) && seenStatuses.size < MAX_STATUS_VALUES) {
      seenStatuses.add(status.toLowerCase());
      preview.statusValues.push(status);
    }
    if (++sampled >= Math.max(rows, sampleRows)) break;
  }
  if (headers === null) throw new CsvHeaderError(['the file is empty: it has no header line']);
  const suggested = { columns, statuses: suggestStatuses(preview.statusValues) };
  return { headers, ...preview, statusColumn: statusIndex === -1 ? null : headers[statusIndex]!, suggested, problems: validateMapping(suggested, headers) };
}
