/**
 * Limits of one STOW-RS request: bytes of the whole multipart body and number of instances.
 *
 * @example
 * const limits: BatchLimits = { maxBytes: 16 * 1024 * 1024, maxInstances: 50 };
 */
export interface BatchLimits {
  readonly maxBytes: number;
  readonly maxInstances: number;
}

/** 16 MiB or 50 instances per request, whichever comes first: under common proxy body limits. */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxBytes: 16 * 1024 * 1024, maxInstances: 50 };

/**
 * The engine's limits lowered to what the server advertises (SlotParameters.limits): a proxy in
 * front of the Portal may accept less than our default, never more than the server says.
 *
 * @example
 * effectiveLimits(DEFAULT_BATCH_LIMITS, { maxBatchBytes: 8 << 20, maxBatchInstances: 500 });
 * // { maxBytes: 8388608, maxInstances: 50 }
 */
export function effectiveLimits(
  wanted: BatchLimits,
  server: { readonly maxBatchBytes: number; readonly maxBatchInstances: number },
): BatchLimits {
  return {
    maxBytes: Math.max(1, Math.min(wanted.maxBytes, server.maxBatchBytes)),
    maxInstances: Math.max(1, Math.min(wanted.maxInstances, server.maxBatchInstances)),
  };
}

/**
 * One planned request: the indexes of its instances (into the caller's list) and its body size.
 *
 * @example
 * const batch: Batch = { items: [0, 1, 2], bytes: 1_578_000 };
 */
export interface Batch {
  readonly items: readonly number[];
  readonly bytes: number;
}

/**
 * Groups instances into batches in input order, closing a batch before it would pass either
 * limit. `sizeOf(i)` is the body bytes instance i adds (Part 10 size + multipart part overhead).
 * An instance larger than `maxBytes` alone gets a batch of its own: the caller decides whether
 * the server can take it (it is reported, not silently dropped).
 *
 * @example
 * planBatches([600, 600, 600], (s) => s, { maxBytes: 1300, maxInstances: 50 });
 * // [{ items: [0, 1], bytes: 1200 }, { items: [2], bytes: 600 }]
 */
export function planBatches<T>(items: readonly T[], sizeOf: (item: T) => number, limits: BatchLimits): Batch[] {
  const out: Batch[] = [];
  let current: number[] = [];
  let bytes = 0;
  items.forEach((item, index) => {
    const size = sizeOf(item);
    if (current.length > 0 && (bytes + size > limits.maxBytes || current.length >= limits.maxInstances)) {
      out.push({ items: current, bytes });
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) out.push({ items: current, bytes });
  return out;
}
