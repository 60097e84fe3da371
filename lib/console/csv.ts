import { stringify } from 'csv-stringify/sync';

/**
 * CSV export as a Web stream (what a route handler returns as a Response body): a header row, then
 * one record per row of an async iterable read only as fast as the client takes the bytes (each
 * pull reads one more chunk of rows), so an export of a million accounts never holds more than a
 * chunk. Cancelling the stream (the client went away) ends the iterable, and with it the queries.
 *
 * RFC 4180: fields are quoted when they hold a comma, quote or line break (quotes doubled), records
 * end in CRLF. Formula injection (OWASP "CSV Injection"): a text cell beginning with = + - @, a tab
 * or a carriage return is prefixed with a single quote, so a spreadsheet shows it instead of
 * evaluating it; numbers are written as numbers.
 */
export type CsvColumn<R> = { header: string; value: (row: R) => unknown };

const ROWS_PER_CHUNK = 500;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as text: dates in ISO 8601 (UTC), objects as JSON, null and undefined empty, text guarded. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** csv-stringify quotes a field holding LF or CRLF, not one holding a lone CR: RFC 4180 wants any line break quoted. */
const records = (cells: string[][]) => stringify(cells, { record_delimiter: 'windows', quoted_match: /[\r\n]/ });

export function csvStream<R>(rows: AsyncIterable<R>, columns: CsvColumn<R>[], options: { bom?: boolean } = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = rows[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const cells: string[][] = [];
        if (!started) {
          started = true;
          cells.push(columns.map((c) => csvCell(c.header)));
        }
        while (cells.length < ROWS_PER_CHUNK) {
          const next = await iterator.next();
          if (next.done) {
            if (cells.length) controller.enqueue(encoder.encode(records(cells)));
            controller.close();
            return;
          }
          cells.push(columns.map((c) => csvCell(c.value(next.value))));
        }
        controller.enqueue(encoder.encode(records(cells)));
      },
      async cancel() {
        await iterator.return?.();
      },
      start(controller) {
        if (options.bom) controller.enqueue(encoder.encode('\uFEFF'));
      },
    },
    { highWaterMark: 1 },
  );
}

/** Headers for a CSV download named `filename` (ASCII letters, digits, dot, dash and underscore kept). */
export function csvHeaders(filename: string): Record<string, string> {
  const safe = filename.replace(/[^A-Za-z0-9._-]/g, '_') || 'export.csv';
  return { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${safe}"`, 'cache-control': 'no-store' };
}
