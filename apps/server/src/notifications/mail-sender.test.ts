import { describe, expect, it } from 'vitest';
import { DEFAULT_SENDER_POLICY, retryDelay } from './mail-sender.js';

describe('retryDelay', () => {
  it('doubles from 30 seconds after each failed attempt and stops growing at an hour', () => {
    const delays = [1, 2, 3, 4, 7, 8, 12].map((attempts) => retryDelay(attempts, DEFAULT_SENDER_POLICY));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
  });

  it('gives up after about five hours of attempts with the default policy', () => {
    let total = 0;
    for (let attempts = 1; attempts < DEFAULT_SENDER_POLICY.maxAttempts; attempts++) {
      total += retryDelay(attempts, DEFAULT_SENDER_POLICY);
    }
    expect(total / 3_600_000).toBeCloseTo(5.1, 1);
  });
});
