/**
 * An HR export as a `RecordSource`: the header is checked against the mapping before the first
 * record (a `CsvHeaderError` listing every problem), then each row becomes a record or a bad row
 * with its line, in file order, streamed (see reader.ts). A row of the wrong width, an unreadable
 * value, or a file cut short is a bad row: never an exception that loses the rows before it, never
 * a record with half its fields.
 */
import type { RecordSource, SourceItem, SourceMapping } from '@/lib/sources/types';
import { CsvHeaderError, normalizeHeader, validateMapping } from './mapping';
import { readCsvBatches, type CsvInput, type ReadOptions } from './reader';
import { rowMapper, type DateFormat, type RowMapper } from './values';

export type CsvSourceOptions = ReadOptions & {
  /** How the file writes dates that are not ISO (default: ISO only). */
  dateFormat?: DateFormat;
};

/**
 * `input` is a file path (read afresh by each `batches()`) or a stream (an upload: read once).
 */
export function openCsvSource({ input, mapping, options = {} }: { input: CsvInput; mapping: SourceMapping; options?: CsvSourceOptions }): RecordSource {
  let streamed = false;
  return {
    kind: 'csv',
    batches() {
      if (typeof input !== 'string') {
        if (streamed) throw new Error('this CSV source reads a stream, which can be read only once');
        streamed = true;
      }
      return csvBatches(input, mapping, options);
    },
  };
}

async function* csvBatches(input: CsvInput, mapping: SourceMapping, options: CsvSourceOptions): AsyncGenerator<SourceItem[]> {
  let mapRow: RowMapper | null = null;
  let width = 0;
  for await (const batch of readCsvBatches(input, options)) {
    const out: SourceItem[] = [];
    for (const row of batch) {
      if (!mapRow) {
        if (row.kind === 'broken') throw new CsvHeaderError([`the header (line ${row.line}) cannot be read: ${row.reason}`]);
        const headers = row.cells.map(normalizeHeader);
        const problems = validateMapping(mapping, headers);
        if (problems.length > 0) throw new CsvHeaderError(problems);
        mapRow = rowMapper(mapping, headers, options);
        width = headers.length;
      } else if (row.kind === 'broken') {
        out.push({ kind: 'bad', bad: { line: row.line, reason: row.reason } });
      } else if (row.cells.length !== width) {
        out.push({ kind: 'bad', bad: { line: row.line, reason: widthReason(row.cells.length, width, row.unterminated) } });
      } else {
        out.push(mapRow(row.line, row.cells));
      }
    }
    if (out.length > 0) yield out;
  }
  if (!mapRow) throw new CsvHeaderError(['the file is empty: it has no header line']);
}

function widthReason(cells: number, width: number, unterminated: boolean): string {
  const cut = unterminated && cells < width ? ': the file ends mid-row (cut short?)' : '';
  return `the row has ${cells} ${cells === 1 ? 'cell' : 'cells'}, the header has ${width}${cut}`;
}
