import { describe, expect, it } from 'vitest';
import { isUuid } from './ids';

describe('isUuid', () => {
  it.each(['2819c223-7f76-453a-919d-413861904646', '2819C223-7F76-453A-919D-413861904646', '00000000-0000-0000-0000-000000000000'])('accepts %s', (id) => {
    expect(isUuid(id)).toBe(true);
  });
  it.each(['a'.repeat(36), '-'.repeat(36), '2819c223-7f76-453a-919d-41386190464', '2819c2237f76453a919d413861904646', ' 2819c223-7f76-453a-919d-413861904646', 42, null])('refuses %j', (id) => {
    expect(isUuid(id)).toBe(false);
  });
});
