/**
 * The CSV reader: a file (path or stream) in, its rows out, with the line each row starts on.
 * papaparse's parser does the parsing (RFC 4180: quoted commas, quoted newlines, "" escapes); this
 * module feeds it one chunk at a time (decoded as UTF-8 across chunk boundaries, a BOM dropped) and
 * hands on the rows of that chunk before reading the next, so memory holds one chunk (64 KiB for a
 * file) plus its rows and the unfinished row carried to the next chunk, and a slow consumer slows
 * the reading (back-pressure) instead of piling rows up. papaparse rather than csv-parse: on a
 * million-row export its parser takes a fifth of the time (0.3 s against 1.7 s of CPU), and the
 * reader is the part of a reconciliation run that is not SQL. `reader.test.ts` checks it against
 * csv-parse on a generated corpus cut into chunks at every kind of boundary.
 *
 * Rows end with LF or CRLF: rows are split at LF and a CR left at the end of a row's last unquoted
 * cell is dropped (a quoted cell keeps the CRLF inside it). Lines are counted here: each row is one
 * line plus the newlines inside its quoted cells. Blank rows (empty lines, or only commas and
 * spaces) are skipped but counted.
 *
 * A parse error (a quoted cell never closed, text after a closing quote, a row over the size limit)
 * ends the reading with a `broken` row at the line where the unreadable row starts: every row before
 * it has been handed on, and nothing after it is guessed at (after a quoting error nobody can tell
 * where the next row starts).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Papa from 'papaparse';
import { AppError } from '@/lib/errors';

/** A file path, or a stream of its bytes (an upload). */
export type CsvInput = string | Readable;

export type CsvRow =
  /** `unterminated`: the last row of a file that does not end with a newline (maybe cut short). */
  | { kind: 'row'; line: number; cells: string[]; unterminated: boolean }
  /** The row starting at `line` cannot be parsed; nothing after it is read. */
  | { kind: 'broken'; line: number; reason: string };

export type ReadOptions = {
  /**
   * The longest row accepted, in characters (an unclosed quote otherwise swallows the whole file): a
   * row still unfinished past this many characters, or a cell longer than this. Default 1 MiB.
   */
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
  const parser = new ChunkParser(options.maxRowSize ?? DEFAULT_MAX_ROW_SIZE);
  const lines = new LineCounter();
  const decoder = new StringDecoder('utf8');
  let endsWithNewline = true;
  let first = true;
  try {
    for await (const chunk of readChunks(stream, input)) {
      let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (text.length === 0) continue;
      endsWithNewline = text.endsWith('\n');
      const { records, error } = parser.write(text);
      const rows = lines.rows(records);
      if (error) return yield [...rows, ...lines.broken(`${error}; the file is not read past this line`)];
      if (rows.length > 0) yield rows;
    }
    const { records, error } = parser.end(decoder.end());
    const rows = lines.rows(records);
    yield [...rows, ...(error ? lines.broken(error) : lines.last(!endsWithNewline))];
  } finally {
    stream.destroy();
  }
}

/**
 * papaparse's parser over a stream of text: each chunk is parsed after the unfinished row carried
 * from the one before (as papaparse's own streamer does), the last, unfinished row held back until
 * the next chunk or the end. Its quoting errors (a cell never closed, text after a closing quote)
 * and a carried row longer than the limit end the reading: the rows before are returned with the
 * reason (lines are the caller's: LineCounter puts the broken row after the last row returned).
 */
class ChunkParser {
  private readonly parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });
  private carried = '';
  private offset = 0;

  constructor(private readonly maxRowSize: number) {}

  write(text: string): { records: string[][]; error: string | null } {
    const input = this.carried + text;
    const result = this.parse(input, true);
    this.carried = input.slice(result.cursor - this.offset);
    this.offset = result.cursor;
    if (!result.error && this.carried.length > this.maxRowSize) return { records: result.records, error: `the row is longer than ${this.maxRowSize} characters (an unclosed quote?)` };
    return result;
  }

  end(text: string): { records: string[][]; error: string | null } {
    const input = this.carried + text;
    this.carried = '';
    if (input.length === 0) return { records: [], error: null };
    const result = this.parse(input, false);
    if (result.error) return result;
    // The text after the last newline (nothing, when the file ends with one) is a row only if it is not empty.
    const last = result.records.at(-1);
    if (last && input.endsWith('\n') && last.length === 1 && last[0] === '') result.records.pop();
    return result;
  }

  private parse(input: string, more: boolean): { records: string[][]; error: string | null; cursor: number } {
    const result = this.parser.parse(input, this.offset, more) as Papa.ParseResult<string[]>;
    const records = result.data;
    for (const row of records) {
      const lastCell = row.length - 1;
      if (row[lastCell]!.endsWith('\r')) row[lastCell] = row[lastCell]!.slice(0, -1);
    }
    // An error in the row still being read (more text to come) is not one yet: that row is parsed again with the next chunk.
    const errors = result.errors.filter((e) => e.type === 'Quotes' && typeof e.row === 'number' && (!more || e.row < records.length));
    const firstError = errors.reduce<Papa.ParseError | null>((min, e) => (min === null || e.row! < min.row! ? e : min), null);
    const tooLong = input.length > this.maxRowSize ? records.findIndex((row) => row.some((cell) => cell.length > this.maxRowSize)) : -1;
    if (tooLong !== -1 && (!firstError || tooLong <= firstError.row!)) {
      return { records: records.slice(0, tooLong), error: `the row is longer than ${this.maxRowSize} characters (an unclosed quote?)`, cursor: result.meta.cursor };
    }
    if (!firstError) return { records, error: null, cursor: result.meta.cursor };
    const reason = firstError.code === 'MissingQuotes' ? 'a quoted cell is never closed: the file ends inside it (cut short?)' : 'a quoted cell is followed by more text before the next comma';
    return { records: records.slice(0, firstError.row), error: reason, cursor: result.meta.cursor };
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

function countNewlines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

type FileError = Error & { code: string };
const fileErrorCodes: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory', EPERM: 'permission denied' };
function isFileError(error: unknown): error is FileError {
  return error instanceof Error && typeof (error as FileError).code === 'string' && Object.hasOwn(fileErrorCodes, (error as FileError).code);
}
function fileErrorText(code: string): string {
  return fileErrorCodes[code] ?? code;
}
