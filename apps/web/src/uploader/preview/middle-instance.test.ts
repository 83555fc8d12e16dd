import type { InstanceRecord, SeriesNode } from '@courier/uploader';
import { describe, expect, it } from 'vitest';
import { hasPreview, middleInstance } from './middle-instance.js';

// Only the fields middleInstance reads; the rest of a record does not matter here.
const record = (path: string, instanceNumber?: number): InstanceRecord =>
  ({ path, ...(instanceNumber === undefined ? {} : { instanceNumber }) }) as InstanceRecord;
const series = (modality: string, instances: InstanceRecord[]): SeriesNode =>
  ({ modality, instances, seriesInstanceUID: '1.2.3', studyInstanceUID: '1.2', totalSize: 0 }) as unknown as SeriesNode;

describe('middleInstance', () => {
  it('takes the middle of the stack in Instance Number order, whatever the drop order', () => {
    const s = series('CT', [record('c', 3), record('a', 1), record('e', 5), record('b', 2), record('d', 4)]);
    expect(middleInstance(s)?.path).toBe('c');
  });

  it('orders instances without a number by path, after the numbered ones', () => {
    expect(middleInstance(series('MR', [record('z'), record('y'), record('x', 9)]))?.path).toBe('y');
    expect(middleInstance(series('MR', []))).toBeUndefined();
  });
});

describe('hasPreview', () => {
  it('offers a preview for image modalities and RT Dose, not for structure sets and plans', () => {
    expect(['CT', 'MR', 'PT', 'RTDOSE', 'RTIMAGE'].map((m) => hasPreview(series(m, [])))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['RTSTRUCT', 'RTPLAN', 'SR'].map((m) => hasPreview(series(m, [])))).toEqual([false, false, false]);
  });
});
