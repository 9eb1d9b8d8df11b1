import { describe, expect, it } from 'vitest';
import { backoffDelayMs, defaultBackoff, parseRetryAfter } from './backoff.ts';

const policy = { baseMs: 1000, maxMs: 30_000, maxRetryAfterMs: 600_000 };

describe('backoffDelayMs', () => {
  it.each([
    { attempt: 0, random: 0.5, expected: 500 },
    { attempt: 1, random: 0.5, expected: 1000 },
    { attempt: 3, random: 0.5, expected: 4000 },
    { attempt: 3, random: 0.999, expected: 7992 },
    { attempt: 10, random: 1, expected: 30_000 },
    { attempt: 2, random: 0, expected: 0 },
  ])(
    'attempt $attempt with random $random waits $expected ms (full jitter, capped)',
    ({ attempt, random, expected }) => {
      expect(backoffDelayMs(attempt, { random: () => random, policy })).toBe(expected);
    },
  );

  it('honours Retry-After over the jittered delay', () => {
    expect(backoffDelayMs(0, { retryAfterSeconds: 7, random: () => 0.1, policy })).toBe(7000);
    expect(backoffDelayMs(5, { retryAfterSeconds: 0, random: () => 0.9, policy })).toBe(0);
  });

  it('caps a Retry-After that asks for too long', () => {
    expect(backoffDelayMs(0, { retryAfterSeconds: 3600, random: () => 0.1, policy })).toBe(600_000);
  });

  it('clamps a random source that strays outside [0, 1]', () => {
    expect(backoffDelayMs(0, { random: () => 7, policy })).toBe(1000);
    expect(backoffDelayMs(0, { random: () => -1, policy })).toBe(0);
  });

  it('has sane defaults', () => {
    expect(defaultBackoff.maxMs).toBeGreaterThan(defaultBackoff.baseMs);
    expect(backoffDelayMs(100, { random: () => 1 })).toBe(defaultBackoff.maxMs);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-06-01T10:00:00Z');
  it.each([
    { header: null, expected: null },
    { header: '', expected: null },
    { header: '12', expected: 12 },
    { header: ' 1.5 ', expected: 1.5 },
    { header: 'Sun, 01 Jun 2025 10:00:30 GMT', expected: 30 },
    { header: 'Sun, 01 Jun 2025 09:00:00 GMT', expected: 0 },
    { header: 'soon', expected: null },
  ])('"$header" → $expected', ({ header, expected }) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
