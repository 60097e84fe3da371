import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '@/lib/http/return-to';

describe('safeReturnTo', () => {
  it.each([
    ['/me', '/me'],
    ['/admin/accounts?q=a%20b#top', '/admin/accounts?q=a%20b#top'],
    ['/a/../b', '/b'],
  ])('keeps the same-origin path %s', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });

  it.each([
    ['an absolute URL', 'https://evil.test/'],
    ['a protocol-relative URL', '//evil.test/'],
    ['a backslash trick', '/\\evil.test'],
    ['a tab the browser would drop', '/\t/evil.test'],
    ['a newline', '/\n/evil.test'],
    ['a javascript URL', 'javascript:alert(1)'],
    ['a relative path without slash', 'me'],
    ['something not a string', 42],
    ['an endless path', `/${'a'.repeat(2000)}`],
  ])('falls back to /me for %s', (_name, value) => {
    expect(safeReturnTo(value)).toBe('/me');
  });
});
