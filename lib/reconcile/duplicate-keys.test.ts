import { describe, expect, test } from 'vitest';
import type { StagedRow } from '@/db/queries/reconcile-staging';
import { DuplicateFinder, hash32 } from './duplicate-keys';

const row = (values: Partial<StagedRow>): StagedRow => ({
  line: 2, employeeNumber: null, externalId: null, email: null, accountId: null, active: true, startDate: null, endDate: null,
  userName: null, displayName: null, givenName: null, familyName: null, department: null, title: null, manager: null, extraAttributes: null, ...values,
});

describe('DuplicateFinder', () => {
  test('every value on two or more rows is a candidate, once; values on one row are not (barring collisions)', () => {
    const finder = new DuplicateFinder(['employeeNumber', 'email']);
    for (const v of ['E1', 'E2', 'E3', 'E2', 'E2', 'E "4"\nx', 'E "4"\nx']) finder.add(row({ employeeNumber: v }));
    for (const v of ['a@x.test', 'b@x.test', null, null]) finder.add(row({ email: v }));
    expect(finder.result()).toEqual({ employeeNumber: ['E2', 'E "4"\nx'], email: [] });
  });

  test('only the match keys are watched', () => {
    const finder = new DuplicateFinder(['employeeNumber', 'scimId']);
    finder.add(row({ employeeNumber: 'E1', email: 'a@x.test' }));
    finder.add(row({ employeeNumber: 'E1', email: 'a@x.test' }));
    expect(finder.result()).toEqual({ employeeNumber: ['E1'] });
  });

  test('no duplicate is missed in 200,000 distinct values and 1,000 repeated ones; collisions are few', () => {
    const finder = new DuplicateFinder(['externalId']);
    for (let i = 0; i < 200_000; i++) finder.add(row({ externalId: `ext-${i}` }));
    for (let i = 0; i < 1000; i++) finder.add(row({ externalId: `ext-${i * 150}` }));
    const found = new Set(finder.result().externalId);
    for (let i = 0; i < 1000; i++) expect(found.has(`ext-${i * 150}`)).toBe(true);
    // n²/2³³ ≈ 5 expected collisions for 200k values
    expect(found.size).toBeLessThan(1050);
  });

  test('past its limits a key gives up (null: SQL counts every row)', () => {
    const finder = new DuplicateFinder(['employeeNumber', 'email'], { maxValues: 3, maxCandidates: 1 });
    // 4 distinct employee numbers (past 3 values); 2 email candidates (past 1).
    for (const v of ['E1', 'E2', 'E3', 'E4']) finder.add(row({ employeeNumber: v }));
    for (const v of ['a', 'a', 'b', 'b']) finder.add(row({ email: v }));
    expect(finder.result()).toEqual({ employeeNumber: null, email: null });
  });

  test('the hash is a non-zero 32-bit integer, the same for the same text', () => {
    for (const v of ['', 'E1', 'Zoë 😀', 'x'.repeat(1000)]) {
      expect(hash32(v)).toBe(hash32(`${v}`));
      expect(Number.isInteger(hash32(v)) && hash32(v) > 0 && hash32(v) < 2 ** 32).toBe(true);
    }
  });
});
