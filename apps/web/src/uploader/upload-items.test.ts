import type { InstanceRecord, SeriesNode } from '@courier/uploader';
import { zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { filesForRecords, uploadItems } from './upload-items.js';

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
    const { items, missing } = await uploadItems(
      [series('1.1', ['CT/1.dcm', 'CT/2.dcm']), series('1.2', ['RTIMAGE/1.dcm'])],
      new Set(['1.1']),
      files,
    );
    expect(missing).toEqual([]);
    expect(items.map((i) => i.source.path)).toEqual(['CT/1.dcm', 'CT/2.dcm']);
    expect(new TextDecoder().decode(await items[1]!.source.read(0, 4))).toBe('ct-2');
  });

  test('a zip member is read again from its dropped archive; an instance without its File is reported missing', async () => {
    const zip = zipSync({ 'CT/2.dcm': new TextEncoder().encode('zipped-ct-2') });
    const { items, missing } = await uploadItems(
      [series('1.1', ['CT/1.dcm', 'export.zip/CT/2.dcm', 'gone/3.dcm'])],
      new Set(['1.1']),
      new Map([
        ['CT/1.dcm', new File(['ct-1'], '1.dcm')],
        ['export.zip', new File([zip], 'export.zip')],
      ]),
    );
    expect(items.map((i) => i.source.path)).toEqual(['CT/1.dcm', 'export.zip/CT/2.dcm']);
    expect(new TextDecoder().decode(await items[1]!.source.read(0, 11))).toBe('zipped-ct-2');
    expect(missing).toEqual([2]);
  });
});

describe('the files the upload worker needs', () => {
  test('each record maps to its own File or to the zip it came from; records without either are missing', () => {
    const files = new Map([
      ['CT/1.dcm', new File(['ct-1'], '1.dcm')],
      ['export.zip', new File(['zip'], 'export.zip')],
      ['unrelated.txt', new File(['x'], 'unrelated.txt')],
    ]);
    const records = ['CT/1.dcm', 'export.zip/CT/2.dcm', 'gone/3.dcm'].map(
      (path) => ({ path, size: 4 }) as unknown as InstanceRecord,
    );
    const { files: needed, missing } = filesForRecords(records, files);
    expect([...needed.keys()]).toEqual(['CT/1.dcm', 'export.zip']);
    expect(missing).toEqual([2]);
  });
});
