import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { items as itemsOf } from '@/lib/sources/items';
import { CsvHeaderError } from './mapping';
import { previewCsv } from './preview';
import { openCsvSource } from './source';
import { suggestColumns, suggestStatuses } from './suggest';

const fixture = (name: string) => path.join(import.meta.dirname, '../fixtures', name);

describe('previewCsv', () => {
  test('a Workday-style export (BOM, CRLF): header, first rows, status values, and a mapping that reads it', async () => {
    const preview = await previewCsv(fixture('workday.csv'), { rows: 2 });
    expect(preview.headers[0]).toBe('Employee ID');
    expect(preview.rows).toEqual([
      { line: 2, cells: ['W-100', 'Ada Lovelace', 'ada@example.com', 'Active', '2019-04-01', '', 'Research', 'Principal Engineer', 'Charles Babbage', 'London'] },
      { line: 3, cells: ['W-101', 'Grace Hopper', 'grace@example.com', 'On Leave', '2020-01-15', '', 'Engineering', 'Rear Admiral', '', 'Arlington'] },
    ]);
    expect(preview.statusColumn).toBe('Worker Status');
    expect(preview.statusValues).toEqual(['Active', 'On Leave', 'Terminated', 'Leave of Absence']);
    expect(preview.suggested).toEqual({
      columns: {
        'Employee ID': 'employeeNumber',
        'Email - Work': 'email',
        'Worker Status': 'status',
        'Hire Date': 'startDate',
        'Termination Date': 'endDate',
        Worker: 'displayName',
        'Supervisory Organization': 'department',
        'Business Title': 'title',
        Manager: 'manager',
      },
      statuses: { Active: 'active', 'On Leave': 'active', Terminated: 'inactive', 'Leave of Absence': 'active' },
    });
    expect(preview.problems).toEqual([]);
    expect(preview.badRows).toEqual([]);

    const items = [];
    for await (const item of itemsOf(openCsvSource({ input: fixture('workday.csv'), mapping: preview.suggested }))) items.push(item);
    expect(items).toHaveLength(6);
    expect(items[2]).toMatchObject({ kind: 'record', record: { line: 4, employeeNumber: 'W-102', active: false, endDate: '2024-03-31', profile: { displayName: 'Linus Torvalds' } } });
  });

  test('a BambooHR-style export: its own header names, US dates read with the date format', async () => {
    const preview = await previewCsv(fixture('bamboohr.csv'));
    expect(preview.rows).toHaveLength(4);
    expect(preview.suggested).toEqual({
      columns: {
        'Employee #': 'employeeNumber',
        'Work Email': 'email',
        Status: 'status',
        'Hire Date': 'startDate',
        'Termination Date': 'endDate',
        'First Name': 'givenName',
        'Last Name': 'familyName',
        Department: 'department',
        'Job Title': 'title',
        Supervisor: 'manager',
      },
      statuses: { Active: 'active', Inactive: 'inactive' },
    });
    const items = [];
    const source = openCsvSource({ input: fixture('bamboohr.csv'), mapping: preview.suggested, options: { dateFormat: 'MM/DD/YYYY' } });
    for await (const item of itemsOf(source)) items.push(item);
    expect(items[2]).toMatchObject({ record: { employeeNumber: '19', active: false, startDate: '2018-07-01', endDate: '2024-03-31', profile: { givenName: 'Linus' } } });
  });

  test('status values of a chosen column; bad rows and problems are reported, not thrown', async () => {
    const preview = await previewCsv(fixture('ragged.csv'), { statusColumn: 'Work Email' });
    expect(preview.statusValues).toEqual(['ok@example.com', 'short@example.com', 'long@example.com', 'fine@example.com']);
    expect(preview.badRows).toEqual([
      { line: 3, reason: 'the row has 2 cells, the header has 3' },
      { line: 4, reason: 'the row has 4 cells, the header has 3' },
    ]);
    const unknown = await previewCsv(Readable.from(['Code,Who\nx,y\n']));
    expect(unknown.suggested).toEqual({ columns: {}, statuses: {} });
    expect(unknown.problems).toEqual(['no key column: map a column to one of employeeNumber, externalId, email']);
    const duplicate = await previewCsv(fixture('duplicate-header.csv'));
    expect(duplicate.problems).toContain("the header names 'Email' twice (columns 2 and 4)");
  });

  test('reads only its sample', async () => {
    const rows = (function* () {
      yield 'Employee ID,Status\n';
      for (let i = 0; ; i++) yield `${i},${i % 2 ? 'Active' : 'Terminated'}\n`;
    })();
    const preview = await previewCsv(Readable.from(rows), { sampleRows: 50 });
    expect(preview.statusValues).toEqual(['Terminated', 'Active']);
  });

  test('an empty file has no preview', async () => {
    await expect(previewCsv(Readable.from(['']))).rejects.toBeInstanceOf(CsvHeaderError);
  });
});

describe('suggestions', () => {
  test.each([
    [['Employee Number', 'Email', 'Employment Status', 'Start Date', 'End Date', 'Legal First Name', 'Legal Last Name', 'Department', 'Title', 'Manager'], 'Rippling-style'],
    [['ID', 'First name', 'Last name', 'Email', 'Status', 'Position', 'Department', 'Supervisor', 'Hire date', 'Termination date'], 'Personio-style'],
  ])('%s headers: keys, status and dates found (%s)', (headers) => {
    const columns = suggestColumns(headers);
    expect(Object.values(columns)).toEqual(expect.arrayContaining(['employeeNumber', 'email', 'status', 'startDate', 'endDate', 'givenName', 'familyName', 'department', 'title', 'manager']));
  });

  test.each([
    ['Active', 'active'],
    ['  terminated ', 'inactive'],
    ['Terminated - Voluntary', 'inactive'],
    ['Inactive', 'inactive'],
    ['Leave', 'active'],
    ['On Leave', 'active'],
    ['Onboarding', 'active'],
    ['Yes', 'active'],
    ['No', 'inactive'],
    ['Contractor', undefined],
  ])('status %j suggests %s', (value, expected) => {
    expect(suggestStatuses([value])[value]).toBe(expected);
  });
});
