import { describe, expect, it } from 'vitest';
import { invalidAccountListParams } from './account-list-params';
import { invalidAuditListParams } from './audit-list-params';
import { pageOffset, pathSegment } from './strict-params';

const accounts = (s: string) => invalidAccountListParams(new URLSearchParams(s));
const audit = (s: string) => invalidAuditListParams(new URLSearchParams(s));

describe('strict list URLs (exports and bulk actions)', () => {
  it.each([
    '',
    'q=alice',
    'status=active,suspended&source=jit&never=1',
    'connection=0d6f7a52-5a6c-4c8e-9a86-3c6c1a0f2b11&from=2026-01-01&to=2026-02-01',
    'sort=lastLoginAt&dir=desc&size=100&page=next&cursor=abc',
    'status=',
  ])('accept the accounts filter %j', (s) => expect(accounts(s)).toEqual([]));

  it.each([
    ['stauts=active', ['unknown parameter stauts']],
    ['status=active,bogus', ['status=active,bogus']],
    ['sort=password', ['sort=password']],
    ['from=2026-13-45', ['from=2026-13-45']],
    ['size=1000', ['size=1000']],
    ['group=1', ['group=1']],
  ])('refuse the accounts filter %j', (s, problems) => expect(accounts(s)).toEqual(problems));

  it('accept a good audit filter and name every bad part of a wrong one', () => {
    expect(audit('actor=admin&action=account.suspended,role.granted&from=2026-01-01&q=x')).toEqual([]);
    expect(audit('actor=root&action=account.suspended,account.exploded&when=today')).toEqual(['actor=root', 'action=account.suspended,account.exploded', 'unknown parameter when']);
  });
});

describe('page offsets and path segments from a hand-edited URL', () => {
  it('an offset is a safe whole number above 0, or 0', () => {
    expect([pageOffset('50'), pageOffset(['100', '5']), pageOffset(undefined), pageOffset('')]).toEqual([50, 100, 0, 0]);
    expect(['1e30', '-5', '2.5', 'abc', 'Infinity', '9007199254740992'].map(pageOffset)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('a path segment is decoded, or null when it is malformed or holds U+0000', () => {
    expect([pathSegment('engineering'), pathSegment('on%20call'), pathSegment('caf%C3%A9')]).toEqual(['engineering', 'on call', 'café']);
    expect([pathSegment('%E0%A4%A'), pathSegment('%'), pathSegment('a%00b')]).toEqual([null, null, null]);
  });
});
