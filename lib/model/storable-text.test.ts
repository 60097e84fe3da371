import { describe, expect, it } from 'vitest';
import { cutText, storableText, unstorable } from './storable-text';

describe('storable text', () => {
  it('names what PostgreSQL cannot store: U+0000 and a lone surrogate (high or low), not a pair', () => {
    expect(unstorable('a\u0000b')).toBe('contains the character U+0000');
    expect(unstorable('a\ud800')).toBe('contains a lone UTF-16 surrogate');
    expect(unstorable('\udc00a')).toBe('contains a lone UTF-16 surrogate');
    expect(unstorable('😀 ok é')).toBeNull();
  });

  it('replaces each with U+FFFD, and leaves storable text as it is', () => {
    expect(storableText('a\u0000b\ud800c\udc00')).toBe('a\uFFFDb\uFFFDc\uFFFD');
    expect(storableText('😀 ok')).toBe('😀 ok');
  });

  it('cuts before a surrogate pair rather than through it', () => {
    expect(cutText('ab😀c', 3)).toBe('ab');
    expect(cutText('ab😀c', 4)).toBe('ab😀');
    expect(cutText('abc', 2)).toBe('ab');
    expect(cutText('a\ud800', 2)).toBe('a\ud800'); // a lone surrogate is not a pair: storableText's business
  });
});
