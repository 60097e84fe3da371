import { Readable } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { describe, expect, test } from 'vitest';
import { readCsvRows, type CsvRow } from './reader';

/**
 * The reader (papaparse, fed chunk by chunk) against csv-parse, the parser it replaced, on a
 * generated corpus: quoted commas, "" escapes, quoted LF and CRLF, quotes inside unquoted cells,
 * multi-byte characters, blank lines, a BOM, LF, CRLF and mixed endings, files without a final
 * newline, files cut short anywhere, and text after a closing quote, each read whole and in byte
 * chunks of random sizes (so every boundary: inside a quote, between the two quotes of "", inside
 * a CRLF, inside a UTF-8 character). Line numbers are compared too.
 */

/** A small seeded generator (mulberry32), so a failure names the case that reproduces it. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T,>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

const pieces = ['a', 'Ada', 'x@example.com', ' ', '', 'é', 'Zoë', '日本', '😀', '1001', 'Dept 7', 'Jane "JJ" Doe'] as const;
const special = [',', '"', '\n', '\r\n', ' '] as const;

function cell(r: ReturnType<typeof random>): string {
  const k = r.int(10);
  if (k < 5) return r.pick(pieces.filter((p) => !p.startsWith(' ')));
  let text = '';
  for (let i = r.int(4) + 1; i > 0; i--) text += r.next() < 0.6 ? r.pick(pieces) : r.pick(special);
  return text;
}

/** A cell as written in a file: quoted when it must be (or at random), quotes doubled. */
function written(r: ReturnType<typeof random>, value: string): string {
  // A quote inside an unquoted cell (Jane "JJ" Doe) is text, if the cell does not start with one.
  const must = /[,\r\n]/.test(value) || value.startsWith(' ') || value.startsWith('"') || (value.includes('"') && r.next() < 0.5);
  return must || r.next() < 0.1 ? `"${value.replace(/"/g, '""')}"` : value;
}

function generate(seed: number): string {
  const r = random(seed);
  const ending = r.pick(['\n', '\r\n', 'mixed'] as const);
  const newline = () => (ending === 'mixed' ? r.pick(['\n', '\r\n']) : ending);
  const width = r.int(4) + 1;
  let text = r.next() < 0.2 ? '\ufeff' : '';
  const rows = r.int(25) + 1;
  for (let i = 0; i < rows; i++) {
    if (r.next() < 0.08) {
      text += newline();
      continue;
    }
    const n = r.next() < 0.1 ? r.int(6) + 1 : width;
    text += Array.from({ length: n }, () => written(r, cell(r))).join(',');
    if (i < rows - 1 || r.next() < 0.7) text += newline();
  }
  return text;
}

/** The expected rows: csv-parse (the options the reader used before) and the same line counting. */
async function reference(text: string): Promise<CsvRow[]> {
  const records: string[][] = [];
  let error: CsvError | null = null;
  await new Promise<void>((resolve) => {
    // Records are taken as they are parsed (on_record), so those before an error are kept.
    const parser = new Parser({
      bom: true,
      record_delimiter: ['\r\n', '\n'],
      relax_column_count: true,
      relax_quotes: true,
      on_record: (record: string[]) => {
        records.push(record);
        return null;
      },
    });
    parser.on('readable', () => {
      while (parser.read() !== null);
    });
    parser.on('error', (e: CsvError) => {
      error = e;
      resolve();
    });
    parser.on('end', () => resolve());
    parser.end(Buffer.from(text));
  });
  const rows: CsvRow[] = [];
  let next = 1;
  for (const cells of records) {
    const line = next;
    next += cells.reduce((n, c) => n + c.split('\n').length - 1, 0) + 1;
    if (cells.every((c) => c.trim() === '')) continue;
    rows.push({ kind: 'row', line, cells, unterminated: false });
  }
  const failed = error as CsvError | null;
  if (failed) {
    const reason = failed.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted cell is never closed' : 'a quoted cell is followed by more text';
    return [...rows, { kind: 'broken', line: next, reason }];
  }
  const last = rows.at(-1);
  if (last?.kind === 'row' && !text.endsWith('\n')) last.unterminated = true;
  return rows;
}

async function read(text: string, chunks: number[] | 'whole'): Promise<CsvRow[]> {
  const bytes = Buffer.from(text);
  const parts: Buffer[] = [];
  if (chunks === 'whole') parts.push(bytes);
  else for (let at = 0, i = 0; at < bytes.length; at += chunks[i % chunks.length]!, i++) parts.push(bytes.subarray(at, at + chunks[i % chunks.length]!));
  const rows: CsvRow[] = [];
  for await (const row of readCsvRows(Readable.from(parts))) rows.push(row);
  return rows;
}

/** Broken rows compared by line and the start of their reason (the reader adds where it stopped). */
const comparable = (rows: CsvRow[]) => rows.map((row) => (row.kind === 'broken' ? { kind: 'broken', line: row.line, reason: row.reason.split(':')[0]!.split(' before')[0] } : row));

describe('readCsvRows against csv-parse', () => {
  test.each(Array.from({ length: 300 }, (_, i) => i + 1))('generated file %i, whole and in chunks', async (seed) => {
    const text = generate(seed);
    const expected = comparable(await reference(text));
    const r = random(seed * 7919);
    expect(comparable(await read(text, 'whole'))).toEqual(expected);
    expect(comparable(await read(text, Array.from({ length: 8 }, () => r.int(17) + 1)))).toEqual(expected);
  });

  test.each(Array.from({ length: 150 }, (_, i) => i + 1))('generated file %i cut short at a random byte', async (seed) => {
    const full = Buffer.from(generate(seed));
    const r = random(seed * 104729);
    const text = full.subarray(0, r.int(full.length) + 1).toString('utf8').replace(/\ufffd$/, '');
    const expected = comparable(await reference(text));
    const got = comparable(await read(text, Array.from({ length: 5 }, () => r.int(23) + 1)));
    // Every row before the cut is the same. The cut row itself is ambiguous (is a final "" an escaped quote or a
    // closing quote and a stray one?): either reader may call it broken or a row the file ends in (unterminated,
    // which the source refuses when its width is short); it starts on the same line either way.
    expect(got.slice(0, -1)).toEqual(expected.slice(0, -1));
    const [mine, theirs] = [got.at(-1), expected.at(-1)];
    const cut = (row: (typeof got)[number] | undefined) => row && (row.kind === 'broken' || ('unterminated' in row && row.unterminated));
    if (cut(theirs) || cut(mine)) {
      expect(cut(mine) && cut(theirs)).toBe(true);
      expect(mine!.line).toBe(theirs!.line);
    } else expect(mine).toEqual(theirs);
  });

  test.each(Array.from({ length: 60 }, (_, i) => i + 1))('generated file %i with text after a closing quote: the rows before, then a broken row', async (seed) => {
    // csv-parse (relax_quotes) kept "closed"text as text; papaparse reads on for a closing quote and would swallow
    // the rows after it, so the reader stops there: after a quoting error nobody can tell where the next row starts.
    const r = random(seed * 31);
    const good = generate(seed).replace(/[^\n]$/, '$&\n');
    const before = comparable(await reference(good));
    const lines = good.split('\n').length;
    const text = `${good}"closed"text,more\nafter,it\n`;
    expect(comparable(await read(text, Array.from({ length: 5 }, () => r.int(29) + 1)))).toEqual([...before, { kind: 'broken', line: lines, reason: 'a quoted cell is followed by more text' }]);
  });
});

describe('readCsvRows', () => {
  test('a quoted cell split between two chunks at its "" escape keeps one quote', async () => {
    const text = 'a,b\n"say ""hi""",2\n';
    for (let cut = 1; cut < text.length; cut++) {
      const rows: CsvRow[] = [];
      for await (const row of readCsvRows(Readable.from([Buffer.from(text.slice(0, cut)), Buffer.from(text.slice(cut))]))) rows.push(row);
      expect(rows).toEqual([
        { kind: 'row', line: 1, cells: ['a', 'b'], unterminated: false },
        { kind: 'row', line: 2, cells: ['say "hi"', '2'], unterminated: false },
      ]);
    }
  });

  test('a cell longer than the limit inside one chunk stops the reading at its row', async () => {
    const rows: CsvRow[] = [];
    for await (const row of readCsvRows(Readable.from([`id,note\n1,short\n2,${'x'.repeat(50)}\n3,after\n`]), { maxRowSize: 20 })) rows.push(row);
    expect(rows).toEqual([
      { kind: 'row', line: 1, cells: ['id', 'note'], unterminated: false },
      { kind: 'row', line: 2, cells: ['1', 'short'], unterminated: false },
      { kind: 'broken', line: 3, reason: 'the row is longer than 20 characters (an unclosed quote?); the file is not read past this line' },
    ]);
  });

  test('an unclosed quote carried past the limit across chunks stops the reading without reading on', async () => {
    const chunks = ['id,note\n1,ok\n2,"never closed', ...Array.from({ length: 100 }, () => ' and on'.repeat(10))];
    const rows: CsvRow[] = [];
    for await (const row of readCsvRows(Readable.from(chunks), { maxRowSize: 200 })) rows.push(row);
    expect(rows.at(-1)).toEqual({ kind: 'broken', line: 3, reason: 'the row is longer than 200 characters (an unclosed quote?); the file is not read past this line' });
    expect(rows).toHaveLength(3);
  });
});
