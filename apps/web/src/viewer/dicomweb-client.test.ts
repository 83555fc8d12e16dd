import { describe, expect, it } from 'vitest';
import { DicomWebError, jsonValue, parseInstances, parseSeries, wadoUri } from './dicomweb-client.js';

// DICOM JSON as PS3.18 F.2 writes it: attributes by 8-digit hex tag, values in arrays, IS/DS as numbers.
const series = (uid: string, modality: string, number?: number, count?: number) => ({
  '0020000E': { vr: 'UI', Value: [uid] },
  '00080060': { vr: 'CS', Value: [modality] },
  ...(number === undefined ? {} : { '00200011': { vr: 'IS', Value: [number] } }),
  ...(count === undefined ? {} : { '00201209': { vr: 'IS', Value: [count] } }),
});

describe('parseSeries', () => {
  it('reads UID, modality, number, description and count, sorted by Series Number', () => {
    const parsed = parseSeries([
      series('1.4', 'RTDOSE', 5, 1),
      { ...series('1.2', 'CT', 2, 12), '0008103E': { vr: 'LO', Value: ['Thorax'] } },
      series('1.3', 'RTSTRUCT'),
    ]);
    expect(parsed).toEqual([
      { seriesInstanceUid: '1.2', modality: 'CT', seriesNumber: 2, description: 'Thorax', instanceCount: 12 },
      { seriesInstanceUid: '1.4', modality: 'RTDOSE', seriesNumber: 5, instanceCount: 1 },
      { seriesInstanceUid: '1.3', modality: 'RTSTRUCT' },
    ]);
  });

  it('drops results without a Series Instance UID and reads a PN value by its Alphabetic group', () => {
    expect(parseSeries([{ '00080060': { vr: 'CS', Value: ['CT'] } }])).toEqual([]);
    expect(jsonValue({ '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] } }, '00100010')).toBe('Doe^Jane');
  });
});

describe('parseInstances', () => {
  it('orders a stack head first by the z of Image Position (Patient) when every instance has one', () => {
    const at = (uid: string, z: number, number: number) => ({
      '00080018': { vr: 'UI', Value: [uid] },
      '00200013': { vr: 'IS', Value: [number] },
      '00200032': { vr: 'DS', Value: [-250, -250, z] },
    });
    // Instance numbers that contradict the positions: the geometry wins.
    const parsed = parseInstances([at('b', -1.25, 1), at('c', -2.5, 3), at('a', 0, 2)]);
    expect(parsed.map((i) => i.sopInstanceUid)).toEqual(['a', 'b', 'c']);
    expect(parsed[0]?.position).toEqual([-250, -250, 0]);
  });

  it('keeps the Frame of Reference UID the overlays are compared with', () => {
    const [parsed] = parseInstances([
      { '00080018': { vr: 'UI', Value: ['a'] }, '00200052': { vr: 'UI', Value: ['1.2.3.4'] } },
    ]);
    expect(parsed).toEqual({ sopInstanceUid: 'a', frameOfReferenceUid: '1.2.3.4' });
  });

  it('falls back to Instance Number when positions are missing', () => {
    const at = (uid: string, number?: number) => ({
      '00080018': { vr: 'UI', Value: [uid] },
      ...(number === undefined ? {} : { '00200013': { vr: 'IS', Value: [number] } }),
    });
    expect(parseInstances([at('x', 3), at('y'), at('z', 1)]).map((i) => i.sopInstanceUid)).toEqual(['z', 'x', 'y']);
  });
});

describe('wadoUri and DicomWebError', () => {
  it('builds the WADO-URI query of PS3.18 9.1.2 asking for the Part 10 file', () => {
    const url = new URL(wadoUri('1.2', '1.2.3', '1.2.3.4'), 'http://portal');
    expect(url.pathname).toBe('/dicomweb/wado');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      requestType: 'WADO',
      studyUID: '1.2',
      seriesUID: '1.2.3',
      objectUID: '1.2.3.4',
      contentType: 'application/dicom',
    });
  });

  it('tells "log in again" from "not visible" (the Portal answers 404 for both absent and forbidden)', () => {
    expect(new DicomWebError(401, 'x').code).toBe('LOGIN_REQUIRED');
    expect(new DicomWebError(404, 'x').code).toBe('NOT_VISIBLE');
    expect(new DicomWebError(403, 'x').code).toBe('NOT_VISIBLE');
    expect(new DicomWebError(500, 'x').code).toBe('HTTP_ERROR');
  });
});
