import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { isAppError } from '@/lib/errors';
import { items as itemsOf } from '@/lib/sources/items';
import type { SourceItem, SourceMapping } from '@/lib/sources/types';
import { CsvHeaderError } from './mapping';
import { openCsvSource, type CsvSourceOptions } from './source';

const fixture = (name: string) => path.join(import.meta.dirname, '../fixtures', name);

const mapping: SourceMapping = {
  columns: {
    'Employee ID': 'employeeNumber',
    'Work Email': 'email',
    Status: 'status',
    Department: 'department',
    Title: 'title',
    'Hire Date': 'startDate',
    'Termination Date': 'endDate',
    'Cost Center': 'extra.costCenter',
  },
  statuses: { active: 'active', 'On Leave': 'active', TERMINATED: 'inactive', inactive: 'inactive' },
};

async function collect(input: string | Readable, map: SourceMapping = mapping, options?: CsvSourceOptions): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of itemsOf(openCsvSource({ input, mapping: map, options }))) items.push(item);
  return items;
}

function lines(items: SourceItem[]) {
  return items.map((item) => (item.kind === 'record' ? { record: item.record.line } : { bad: item.bad.line }));
}

/** A mapping of just these columns, with the shared status map. */
function only(columns: SourceMapping['columns']): SourceMapping {
  return { columns, statuses: mapping.statuses };
}

async function headerProblems(input: string, map: SourceMapping): Promise<string[]> {
  const error = await collect(input, map).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CsvHeaderError);
  expect(isAppError(error) && error.code).toBe('invalid_input');
  return (error as CsvHeaderError).problems;
}

describe('openCsvSource: parsing', () => {
  test('quoted commas, escaped quotes and quoted newlines: each record keeps the line it starts on', async () => {
    const items = await collect(fixture('quoted.csv'));
    expect(lines(items)).toEqual([{ record: 2 }, { record: 3 }, { record: 4 }, { record: 7 }]);
    const [ada, grace, linus, margaret] = items.map((i) => (i.kind === 'record' ? i.record : null));
    expect(ada).toEqual({
      line: 2,
      employeeNumber: '1001',
      externalId: null,
      email: 'ada@example.com',
      active: true,
      startDate: '2019-04-01',
      endDate: null,
      profile: { employeeNumber: '1001', email: 'ada@example.com', department: 'Research, Analytics', title: 'Principal Engineer' },
      extraAttributes: { costCenter: 'CC-10' },
    });
    expect(grace).toMatchObject({ email: 'grace@example.com', startDate: '2020-01-15', profile: { title: 'Rear Admiral, "Amazing" Grace' } });
    expect(linus).toMatchObject({ active: false, endDate: '2024-03-31', profile: { department: 'Kernel\nMaintenance\nTeam' }, extraAttributes: {} });
    expect(margaret).toMatchObject({ line: 7, email: 'margaret@example.com', active: true, profile: { title: 'Director,\nSoftware Engineering' } });
  });

  test('a BOM, CRLF and empty lines: the first header is found, blank rows skipped but counted', async () => {
    const map = only({ 'Employee #': 'employeeNumber', 'Work Email': 'email', Status: 'status', 'Hire Date': 'startDate' });
    const items = await collect(fixture('bom-crlf.csv'), map);
    expect(lines(items)).toEqual([{ record: 3 }, { record: 4 }, { bad: 7 }, { record: 10 }]);
    expect(items[0]).toMatchObject({ record: { employeeNumber: '2001', email: 'bom@example.com', active: true, startDate: '2022-02-01' } });
    expect(items[1]).toMatchObject({ record: { email: 'crlf@example.com', active: false } });
    expect(items[2]).toEqual({ kind: 'bad', bad: { line: 7, reason: "email 'multi\r\nline@example.com' is not an email address" } });
  });

  test('a file cut off inside a quoted cell: the rows before it, then one bad row where the cut row starts', async () => {
    const items = await collect(fixture('truncated-quote.csv'), only({ 'Employee ID': 'employeeNumber', 'Work Email': 'email', Status: 'status', Title: 'title' }));
    expect(lines(items)).toEqual([{ record: 2 }, { bad: 3 }]);
    expect(items[1]).toEqual({ kind: 'bad', bad: { line: 3, reason: 'a quoted cell is never closed: the file ends inside it (cut short?)' } });
  });

  test('a file cut off mid-row: a bad row, never a record with half its fields', async () => {
    const items = await collect(fixture('truncated-row.csv'), only({ 'Employee ID': 'employeeNumber', 'Work Email': 'email', Status: 'status', Title: 'title' }));
    expect(lines(items)).toEqual([{ record: 2 }, { bad: 3 }]);
    expect(items[1]).toMatchObject({ bad: { reason: 'the row has 3 cells, the header has 4: the file ends mid-row (cut short?)' } });
  });

  test('short and long rows are bad rows with their lines; the rows around them are read', async () => {
    const items = await collect(fixture('ragged.csv'), only({ 'Employee ID': 'employeeNumber', 'Work Email': 'email', Status: 'status' }));
    expect(items.map((i) => (i.kind === 'bad' ? i.bad : i.record.employeeNumber))).toEqual([
      '4001',
      { line: 3, reason: 'the row has 2 cells, the header has 3' },
      { line: 4, reason: 'the row has 4 cells, the header has 3' },
      '4004',
    ]);
  });

  test('a row longer than the limit (an unclosed quote mid-file) stops the reading there, after the rows before it', async () => {
    const csv = 'Employee ID,Work Email\n1,a@example.com\n2,"b@example.com\n3,c@example.com\n4,d@example.com\n';
    const items = await collect(Readable.from([csv]), only({ 'Employee ID': 'employeeNumber', 'Work Email': 'email' }), { maxRowSize: 20 });
    expect(items).toEqual([
      expect.objectContaining({ kind: 'record', record: expect.objectContaining({ line: 2, employeeNumber: '1' }) }),
      { kind: 'bad', bad: { line: 3, reason: 'the row is longer than 20 characters (an unclosed quote?); the file is not read past this line' } },
    ]);
  });

  test('a stream read in small chunks gives the same items as the file', async () => {
    const byteChunks = Readable.from(
      (async function* () {
        for await (const chunk of createReadStream(fixture('quoted.csv'), { highWaterMark: 7 })) yield chunk as Buffer;
      })(),
    );
    expect(await collect(byteChunks)).toEqual(await collect(fixture('quoted.csv')));
  });

  test('a path is read afresh by each batches(); a stream only once', async () => {
    const fromPath = openCsvSource({ input: fixture('ragged.csv'), mapping: only({ 'Employee ID': 'employeeNumber' }) });
    for (let round = 0; round < 2; round++) {
      let n = 0;
      for await (const _ of itemsOf(fromPath)) n++;
      expect(n).toBe(4);
    }
    const fromStream = openCsvSource({ input: createReadStream(fixture('ragged.csv')), mapping: only({ 'Employee ID': 'employeeNumber' }) });
    for await (const _ of fromStream.batches());
    expect(() => fromStream.batches()).toThrow(/only once/);
  });

  test('a missing file is a clear invalid_input error', async () => {
    const error = await collect(fixture('no-such-file.csv')).catch((e: unknown) => e);
    expect(isAppError(error) && [error.code, error.message]).toEqual(['invalid_input', `cannot read ${fixture('no-such-file.csv')}: no such file`]);
  });
});

describe('openCsvSource: header checks before the first record', () => {
  test('a mapped column missing from the header', async () => {
    expect(await headerProblems(fixture('ragged.csv'), only({ 'Employee ID': 'employeeNumber', 'work email': 'email', Department: 'department' }))).toEqual([
      "mapped column 'work email' is not in the header (the header has 'Work Email')",
      "mapped column 'Department' is not in the header",
    ]);
  });

  test('duplicate and empty header names', async () => {
    expect(await headerProblems(fixture('duplicate-header.csv'), only({ 'Employee ID': 'employeeNumber' }))).toEqual(["the header names 'Email' twice (columns 2 and 4)"]);
    expect(await headerProblems(fixture('empty-header.csv'), only({ 'Employee ID': 'employeeNumber' }))).toEqual(['column 2 of the header has no name']);
  });

  test('a mapping without any key column', async () => {
    expect(await headerProblems(fixture('ragged.csv'), only({ Status: 'status' }))).toEqual(['no key column: map a column to one of employeeNumber, externalId, email']);
  });

  test('an empty file, and a header that cannot be parsed', async () => {
    const empty = await collect(Readable.from(['\n\n']), only({ 'Employee ID': 'employeeNumber' })).catch((e: unknown) => e);
    expect((empty as CsvHeaderError).problems).toEqual(['the file is empty: it has no header line']);
    const cut = await collect(Readable.from(['"Employee ID,Email\n']), only({ 'Employee ID': 'employeeNumber' })).catch((e: unknown) => e);
    expect((cut as CsvHeaderError).problems).toEqual(['the header (line 1) cannot be read: a quoted cell is never closed: the file ends inside it (cut short?)']);
  });
});

describe('openCsvSource: values', () => {
  const map = only({ 'Employee ID': 'employeeNumber', 'Work Email': 'email', Status: 'status', 'Hire Date': 'startDate', 'Termination Date': 'endDate' });

  test('unknown status, empty status, bad email, impossible date, wrong date format, no key: bad rows with reasons', async () => {
    const items = await collect(fixture('bad-values.csv'), map, { dateFormat: 'MM/DD/YYYY' });
    expect(items.map((i) => (i.kind === 'bad' ? i.bad : { line: i.record.line, startDate: i.record.startDate }))).toEqual([
      { line: 2, startDate: '2021-03-14' },
      { line: 3, reason: "status 'Retired' is not in the status map" },
      { line: 4, reason: "email 'not-an-email' is not an email address" },
      { line: 5, reason: "startDate '2021-02-30' in column 'Hire Date' is not a date (expected MM/DD/YYYY or YYYY-MM-DD)" },
      { line: 6, reason: "endDate '31/12/2024' in column 'Termination Date' is not a date (expected MM/DD/YYYY or YYYY-MM-DD)" },
      { line: 7, reason: "no key: 'Employee ID', 'Work Email' are empty" },
      { line: 8, reason: 'status is empty (and the status map has no empty value)' },
    ]);
  });

  test('without a date format only ISO dates are read', async () => {
    const items = await collect(fixture('bad-values.csv'), map);
    expect(items[0]).toEqual({ kind: 'bad', bad: { line: 2, reason: "startDate '03/14/2021' in column 'Hire Date' is not a date (expected YYYY-MM-DD)" } });
  });

  test('no status column: active is null; unmapped columns are ignored', async () => {
    const items = await collect(fixture('quoted.csv'), only({ 'Employee ID': 'employeeNumber' }));
    expect(items[0]).toEqual({
      kind: 'record',
      record: { line: 2, employeeNumber: '1001', externalId: null, email: null, active: null, startDate: null, endDate: null, profile: { employeeNumber: '1001' }, extraAttributes: {} },
    });
  });
});
