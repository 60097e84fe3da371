import { describe, expect, it } from 'vitest';
import { clientIp } from './request-context';

describe('clientIp', () => {
  it.each([
    [null, null],
    ['203.0.113.7', '203.0.113.7'],
    ['203.0.113.7, 10.0.0.1', '203.0.113.7'],
    [' 2001:db8::1 ,10.0.0.1', '2001:db8::1'],
    ['unknown', null],
    ["1.2.3.4'; drop table x", null],
    ['', null],
  ])('x-forwarded-for %j → %j', (header, expected) => {
    const headers = new Headers(header === null ? {} : { 'x-forwarded-for': header });
    expect(clientIp(headers)).toBe(expected);
  });
});
