/**
 * The CSV reader: a file (path or stream) in, its rows out, one at a time, with the line each row
 * starts on. csv-parse does the parsing (RFC 4180: quoted commas, quoted newlines, "" escapes, a
 * UTF-8 BOM, LF or CRLF); this module feeds it one chunk at a time and hands on the rows of that
 * chunk before reading the next, so memory holds one chunk (64 KiB for a file) plus its rows, and
 * a slow consumer slows the reading (back-pressure) instead of piling rows up.
 *
 * Lines are counted here, not taken from csv-parse's `info.lines` (which drifts after empty lines
 * and CRLF): each row is one line plus the newlines inside its quoted cells. Blank rows (empty
 * lines, or only commas and spaces) are skipped but counted.
 *
 * A parse error (a quoted cell never closed, text after a closing quote, a row over the size limit)
 * ends the reading with a `broken` row at the line where the unreadable row starts: every row before
 * it has been handed on, and nothing after it is guessed at (after a quoting error csv-parse cannot
 * tell where the next row starts).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { AppError } from '@/lib/errors';

/** A file path, or a stream of its bytes (an upload). */
export type CsvInput = string | Readable;

export type CsvRow =
  /** `unterminated`: the last row of a file that does not end with a newline (maybe cut short). */
  | { kind: 'row'; line: number; cells: string[]; unterminated: boolean }
  /** The row starting at `line` cannot be parsed; nothing after it is read. */
  | { kind: 'broken'; line: number; reason: string };

export type ReadOptions = {
  /** The longest row accepted (in characters; an unclosed quote otherwise swallows the whole file). Default 1 MiB. */
  maxRowSize?: number;
};

const DEFAULT_MAX_ROW_SIZE = 1 << 20;

/** The rows one at a time (the preview's pace); `readCsvBatches` is the same, a chunk's rows at a time. */
export async function* readCsvRows(input: CsvInput, options: ReadOptions = {}): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvBatches(input, options)) yield* batch;
}

/**
 * The rows of each chunk read, in order. Batches keep the per-row cost of async iteration (a
 * promise and a turn of the event loop per step) off a million-row file.
 */
export async function* readCsvBatches(input: CsvInput, options: ReadOptions = {}): AsyncGenerator<CsvRow[]> {
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  const maxRowSize = options.maxRowSize ?? DEFAULT_MAX_ROW_SIZE;
  const parser = new RowCollector({
    bom: true,
    record_delimiter: ['\r\n', '\n'],
    // Row width is checked by the caller against the header: a short or long row is a bad row, not a stop.
    relax_column_count: true,
    // A quote inside an unquoted cell (Jane "JJ" Doe) is kept as text.
    relax_quotes: true,
    max_record_size: maxRowSize,
  });
  // Errors come back through write() and end() below; this keeps them from being unhandled events.
  parser.on('error', () => {});
  const lines = new LineCounter();
  let endsWithNewline = true;
  try {
    for await (const chunk of readChunks(stream, input)) {
      const error = await write(parser, chunk);
      if (chunk.length > 0) endsWithNewline = lastChar(chunk) === '\n';
      const rows = lines.rows(parser.collected());
      if (error) return yield [...rows, ...lines.broken(describeParseError(error, { atEnd: false, maxRowSize }))];
      if (rows.length > 0) yield rows;
    }
    const error = await end(parser);
    const rows = lines.rows(parser.collected());
    yield [...rows, ...(error ? lines.broken(describeParseError(error, { atEnd: true, maxRowSize })) : lines.last(!endsWithNewline))];
  } finally {
    parser.destroy();
    stream.destroy();
  }
}

/**
 * csv-parse's stream, its records collected as they are parsed rather than queued on its readable
 * side (which `on_record` could do too, at the cost of an info object per row: a fifth of the time).
 */
class RowCollector extends Parser {
  private records: string[][] = [];

  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    this.records.push(record as string[]);
    return true;
  }

  collected(): string[][] {
    const records = this.records;
    this.records = [];
    return records;
  }
}

/** Numbers the rows; holds the latest one back until it is known whether it is the file's last. */
class LineCounter {
  private next = 1;
  private held: CsvRow | null = null;

  rows(records: string[][]): CsvRow[] {
    const rows: CsvRow[] = [];
    for (const cells of records) {
      const line = this.next;
      let blank = true;
      for (const cell of cells) {
        this.next += countNewlines(cell);
        if (blank && cell.trim() !== '') blank = false;
      }
      this.next += 1;
      if (blank) continue;
      if (this.held) rows.push(this.held);
      this.held = { kind: 'row', line, cells, unterminated: false };
    }
    return rows;
  }

  broken(reason: string): CsvRow[] {
    return [...this.last(false), { kind: 'broken', line: this.next, reason }];
  }

  last(unterminated: boolean): CsvRow[] {
    const held = this.held?.kind === 'row' ? [{ ...this.held, unterminated }] : [];
    this.held = null;
    return held;
  }
}

async function* readChunks(stream: Readable, input: CsvInput): AsyncGenerator<Buffer | string> {
  try {
    for await (const chunk of stream) yield chunk as Buffer | string;
  } catch (error) {
    if (typeof input === 'string' && isFileError(error)) throw new AppError('invalid_input', `cannot read ${input}: ${fileErrorText(error.code)}`);
    throw error;
  }
}

function write(parser: Parser, chunk: Buffer | string): Promise<Error | undefined> {
  return new Promise((resolve) => parser.write(chunk, (error) => resolve(error ?? undefined)));
}

function end(parser: Parser): Promise<Error | undefined> {
  return new Promise((resolve) => {
    parser.once('error', resolve);
    parser.once('finish', () => resolve(undefined));
    parser.end();
  });
}

function describeParseError(error: Error, { atEnd, maxRowSize }: { atEnd: boolean; maxRowSize: number }): string {
  const rest = atEnd ? '' : '; the file is not read past this line';
  if (!(error instanceof CsvError)) return `the row cannot be read (${error.message})${rest}`;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed: the file ends inside it (cut short?)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `a quoted cell is followed by more text before the next comma${rest}`;
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${maxRowSize} characters (an unclosed quote?)${rest}`;
    default:
      return `the row cannot be read (${error.message})${rest}`;
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

function lastChar(chunk: Buffer | string): string {
  return typeof chunk === 'string' ? chunk.slice(-1) : String.fromCharCode(chunk[chunk.length - 1]!);
}

type FileError = Error & { code: string };
const fileErrorCodes: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory', EPERM: 'permission denied' };
function isFileError(error: unknown): error is FileError {
  return error instanceof Error && typeof (error as FileError).code === 'string' && Object.hasOwn(fileErrorCodes, (error as FileError).code);
}
function fileErrorText(code: string): string {
  return fileErrorCodes[code] ?? code;
}
