/**
 * Maps over items with at most `limit` calls in flight, keeping the input order in the result.
 * The first rejection rejects the whole map (in-flight calls are left to finish).
 *
 * @example
 * const sizes = await mapLimit(keys, 4, (key) => store.stat(key));
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
