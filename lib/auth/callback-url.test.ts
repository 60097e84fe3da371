import { describe, expect, it } from 'vitest';
import { isUsableCallbackUrl } from './callback-url';

describe('isUsableCallbackUrl', () => {
  it.each(['/me', '/', 'http://127.0.0.1:3000/me', 'https://evil.example/'])('%s is something next-auth accepts (its redirect callback keeps it on site)', (value) => {
    expect(isUsableCallbackUrl(value, 'http://127.0.0.1:3000')).toBe(true);
  });
  it.each(['evil.example', 'http://[::1', 'javascript:alert(1)', '', 'me'])('%j is not', (value) => {
    expect(isUsableCallbackUrl(value, 'http://127.0.0.1:3000')).toBe(false);
  });
});
