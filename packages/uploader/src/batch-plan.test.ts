import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_LIMITS, effectiveLimits, planBatches } from './batch-plan.js';

describe('planBatches', () => {
  it('closes a batch before it would pass the byte limit', () => {
    expect(planBatches([600, 600, 600], (s) => s, { maxBytes: 1300, maxInstances: 50 })).toEqual([
      { items: [0, 1], bytes: 1200 },
      { items: [2], bytes: 600 },
    ]);
  });

  it('closes a batch at the instance limit', () => {
    const batches = planBatches([1, 1, 1, 1, 1], (s) => s, { maxBytes: 1000, maxInstances: 2 });
    expect(batches.map((b) => b.items)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('gives an instance larger than the byte limit a batch of its own', () => {
    const batches = planBatches([10, 5000, 10], (s) => s, { maxBytes: 100, maxInstances: 50 });
    expect(batches.map((b) => b.items)).toEqual([[0], [1], [2]]);
  });

  it('returns no batch for no instance', () => {
    expect(planBatches([], (s: number) => s, DEFAULT_BATCH_LIMITS)).toEqual([]);
  });

  it('keeps every instance exactly once, in order, within both limits unless alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5000 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 8000 }),
        fc.integer({ min: 1, max: 20 }),
        (sizes, maxBytes, maxInstances) => {
          const batches = planBatches(sizes, (s) => s, { maxBytes, maxInstances });
          expect(batches.flatMap((b) => b.items)).toEqual(sizes.map((_, i) => i));
          for (const b of batches) {
            expect(b.items.length).toBeLessThanOrEqual(maxInstances);
            expect(b.bytes).toBe(b.items.reduce((n, i) => n + sizes[i]!, 0));
            if (b.items.length > 1) expect(b.bytes).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
    );
  });
});

describe('effectiveLimits', () => {
  it('lowers the defaults to the limits the server advertises', () => {
    expect(effectiveLimits(DEFAULT_BATCH_LIMITS, { maxBatchBytes: 8 << 20, maxBatchInstances: 500 })).toEqual({
      maxBytes: 8 << 20,
      maxInstances: 50,
    });
    expect(effectiveLimits(DEFAULT_BATCH_LIMITS, { maxBatchBytes: 1 << 30, maxBatchInstances: 10 })).toEqual({
      maxBytes: 16 << 20,
      maxInstances: 10,
    });
  });
});
