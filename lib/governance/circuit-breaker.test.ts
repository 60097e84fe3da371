import { describe, expect, it } from 'vitest';
import { checkBreaker } from './circuit-breaker';

const limits = { maxSharePercent: 10, maxCount: null };

describe('checkBreaker', () => {
  it('lets a run through at exactly the share limit and halts one account past it', () => {
    expect(checkBreaker({ changes: 10, population: 100, limits })).toEqual({ halt: false });
    const over = checkBreaker({ changes: 11, population: 100, limits });
    expect(over.halt).toBe(true);
    expect(over.halt && over.reason).toContain('11 of 100 active accounts (11.0%)');
  });

  it('halts past the count limit even when the share is small', () => {
    expect(checkBreaker({ changes: 50, population: 100_000, limits: { maxSharePercent: 10, maxCount: 50 } })).toEqual({ halt: false });
    expect(checkBreaker({ changes: 51, population: 100_000, limits: { maxSharePercent: 10, maxCount: 50 } }).halt).toBe(true);
  });

  it('never halts a run that changes nothing, and halts any change in an organization with no active accounts', () => {
    expect(checkBreaker({ changes: 0, population: 0, limits })).toEqual({ halt: false });
    expect(checkBreaker({ changes: 1, population: 0, limits }).halt).toBe(true);
  });

  it('passes a confirmed run up to what was confirmed, and halts it again if the plan grew', () => {
    expect(checkBreaker({ changes: 40, population: 100, limits, confirmedChanges: 40 })).toEqual({ halt: false });
    expect(checkBreaker({ changes: 41, population: 100, limits, confirmedChanges: 40 }).halt).toBe(true);
  });
});
