import { describe, expect, test } from 'vitest';
import { isAppError } from '@/lib/errors';
import type { SourceMapping } from '@/lib/sources/types';
import { mappingProblems, parseMappingFlags, validateMapping } from './mapping';
import { parseDate, parseEmail } from './values';

function flagError(flags: { map: string[]; statusMap: string[] }): string {
  try {
    parseMappingFlags(flags);
  } catch (error) {
    if (isAppError(error) && error.code === 'invalid_input') return error.message;
    throw error;
  }
  throw new Error('expected an invalid_input error');
}

describe('parseMappingFlags', () => {
  test('--map column=field and --status-map value=active|inactive into a mapping; ignore drops a column', () => {
    expect(
      parseMappingFlags({
        map: ['Employee ID=employeeNumber', ' Email - Work = email', 'Worker Status=status', 'Cost Center=extra.costCenter', 'Location=ignore', 'a=b=title'],
        statusMap: ['Active=active', 'On Leave=active', 'Terminated=inactive'],
      }),
    ).toEqual({
      columns: { 'Employee ID': 'employeeNumber', 'Email - Work': 'email', 'Worker Status': 'status', 'Cost Center': 'extra.costCenter', 'a=b': 'title' },
      statuses: { Active: 'active', 'On Leave': 'active', Terminated: 'inactive' },
    });
    expect(parseMappingFlags({ map: [], statusMap: [] })).toEqual({ columns: {}, statuses: {} });
  });

  test.each([
    [{ map: ['Dept=dept'], statusMap: [] }, "--map 'Dept=dept': 'dept' is not a field (one of employeeNumber, externalId, email, status, startDate, endDate, userName, displayName, givenName, familyName, department, title, manager, or extra.<name>)"],
    [{ map: ['Employee ID'], statusMap: [] }, `--map 'Employee ID': write column=field, e.g. "Employee ID=employeeNumber"`],
    [{ map: ['=email'], statusMap: [] }, `--map '=email': write column=field, e.g. "Employee ID=employeeNumber"`],
    [{ map: ['ID=employeeNumber', 'Status=status'], statusMap: ['Active=yes'] }, "--status-map 'Active=yes': 'yes' must be active or inactive"],
    [{ map: ['ID=employeeNumber'], statusMap: ['Active'] }, "--status-map 'Active': write value=active or value=inactive, e.g. Terminated=inactive"],
    [{ map: ['ID=employeeNumber', 'ID=email'], statusMap: [] }, "--map: column 'ID' is mapped twice"],
    [{ map: ['Status=status'], statusMap: ['Active=active'] }, 'no key column: map a column to one of employeeNumber, externalId, email'],
    [{ map: ['ID=employeeNumber', 'Status=status'], statusMap: [] }, 'status is mapped but the status map is empty: say which values are active and which inactive'],
    [{ map: ['ID=employeeNumber', 'Mail=email', 'Email=email'], statusMap: [] }, "email is mapped from 2 columns: 'Mail', 'Email'"],
    [{ map: ['ID=employeeNumber', 'X=extra.'], statusMap: [] }, expect.stringContaining("'extra.' is not a field")],
  ])('%j: %s', (flags, message) => {
    expect(flagError(flags)).toEqual(message);
  });

  test('every problem at once', () => {
    expect(flagError({ map: ['a=nope', 'b'], statusMap: ['x=maybe'] }).split('; ')).toHaveLength(3);
  });
});

describe('mappingProblems and validateMapping', () => {
  test('a stored mapping with a bad target or a status spelled twice both ways', () => {
    const mapping = { columns: { ID: 'employeeNumber', Who: 'nobody' }, statuses: { Active: 'active', ' ACTIVE': 'inactive' } } as unknown as SourceMapping;
    expect(mappingProblems(mapping)).toEqual([
      "column 'Who' maps to 'nobody', which is not a field (one of employeeNumber, externalId, email, status, startDate, endDate, userName, displayName, givenName, familyName, department, title, manager, or extra.<name>)",
      "status 'Active' and ' ACTIVE' are the same value (case and spaces aside) mapped both ways",
    ]);
  });

  test('the header is compared after trimming and dropping a BOM', () => {
    expect(validateMapping({ columns: { ' Employee ID ': 'employeeNumber' }, statuses: {} }, ['\uFEFFEmployee ID', 'Email'])).toEqual([]);
  });
});

describe('values', () => {
  test.each([
    ['2024-02-29', 'YYYY-MM-DD', '2024-02-29'],
    ['2024-02-30', 'YYYY-MM-DD', null],
    ['2023-02-29', 'YYYY-MM-DD', null],
    ['2024-03-01T23:30:00-05:00', 'YYYY-MM-DD', '2024-03-01'],
    ['2024-03-01 08:00', 'YYYY-MM-DD', '2024-03-01'],
    ['2024-03-01T08:00:00.000Z', 'DD/MM/YYYY', '2024-03-01'],
    ['03/04/2024', 'YYYY-MM-DD', null],
    ['03/04/2024', 'MM/DD/YYYY', '2024-03-04'],
    ['3/4/2024', 'MM/DD/YYYY', '2024-03-04'],
    ['03/04/2024', 'DD/MM/YYYY', '2024-04-03'],
    ['13/04/2024', 'MM/DD/YYYY', null],
    ['31.12.2024', 'DD.MM.YYYY', '2024-12-31'],
    ['31/12/24', 'DD/MM/YYYY', null],
    ['2024-1-5', 'YYYY-MM-DD', null],
    ['yesterday', 'MM/DD/YYYY', null],
  ] as const)('date %j in %s is %j', (text, format, expected) => {
    expect(parseDate(text, format)).toBe(expected);
  });

  test.each([
    ['Ada@Example.COM', 'ada@example.com'],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
    ['not-an-email', null],
    ['a@b', null],
    ['a b@example.com', null],
    ['a@@example.com', null],
    ['a@example.', null],
  ])('email %j is %j', (text, expected) => {
    expect(parseEmail(text)).toBe(expected);
  });
});
