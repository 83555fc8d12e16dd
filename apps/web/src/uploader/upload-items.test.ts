import type { InstanceRecord, SeriesNode } from '@courier/uploader';
import { describe, expect, test } from 'vitest';
import { uploadItems } from './upload-items.js';

function series(uid: string, paths: string[]): SeriesNode {
  return {
    seriesInstanceUID: uid,
    instances: paths.map((path) => ({ path, size: 4 }) as unknown as InstanceRecord),
  } as unknown as SeriesNode;
}

describe('the items of an upload', () => {
  test('only the selected series are uploaded, each instance read from its dropped File', async () => {
    const files = new Map([
      ['CT/1.dcm', new File(['ct-1'], '1.dcm')],
      ['CT/2.dcm', new File(['ct-2'], '2.dcm')],
      ['RTIMAGE/1.dcm', new File(['img1'], '1.dcm')],
    ]);
    const { items, missing } = uploadItems(
      [series('1.1', ['CT/1.dcm', 'CT/2.dcm']), series('1.2', ['RTIMAGE/1.dcm'])],
      new Set(['1.1']),
      files,
    );
    expect(missing).toEqual([]);
    expect(items.map((i) => i.source.path)).toEqual(['CT/1.dcm', 'CT/2.dcm']);
    expect(new TextDecoder().decode(await items[1]!.source.read(0, 4))).toBe('ct-2');
  });

  test('an instance whose File is not at hand (a zip member) is reported missing, not skipped silently', () => {
    const { items, missing } = uploadItems(
      [series('1.1', ['CT/1.dcm', 'export.zip/CT/2.dcm'])],
      new Set(['1.1']),
      new Map([['CT/1.dcm', new File(['ct-1'], '1.dcm')]]),
    );
    expect(items).toHaveLength(1);
    expect(missing).toEqual([1]);
  });
});
