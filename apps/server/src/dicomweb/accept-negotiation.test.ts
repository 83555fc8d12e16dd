import { describe, expect, it } from 'vitest';
import {
  parseAccept,
  qualityOf,
  requireInstancesAcceptable,
  requireMetadataAcceptable,
  requireOctetStreamAcceptable,
  requireWadoUriSyntax,
} from './accept-negotiation.js';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const JPEG_LOSSLESS = '1.2.840.10008.1.2.4.70';
const dicomPart = (syntax: string) => ({
  type: 'multipart',
  subtype: 'related',
  params: { type: 'application/dicom', 'transfer-syntax': syntax },
});

describe('parseAccept', () => {
  it('reads media ranges with quoted parameters (a comma inside quotes stays), q values and case', () => {
    const ranges = parseAccept('Multipart/Related; Type="application/dicom"; transfer-syntax=*;q=0.8, */*; q=0.1');
    expect(ranges).toEqual([
      {
        type: 'multipart',
        subtype: 'related',
        params: new Map([
          ['type', 'application/dicom'],
          ['transfer-syntax', '*'],
        ]),
        q: 0.8,
      },
      { type: '*', subtype: '*', params: new Map(), q: 0.1 },
    ]);
    expect(parseAccept('text/plain; note="a,b"')[0]?.params.get('note')).toBe('a,b');
  });

  it('takes a missing or empty header as */* and skips ranges that are not type/subtype', () => {
    expect(parseAccept(undefined)).toEqual([{ type: '*', subtype: '*', params: new Map(), q: 1 }]);
    expect(parseAccept('')).toHaveLength(1);
    expect(parseAccept('garbage, application/json')).toHaveLength(1);
  });
});

describe('qualityOf', () => {
  it('uses the most specific matching range (RFC 9110 12.5.1), so q=0 on a precise range wins over */*', () => {
    const ranges = parseAccept(`multipart/related; type="application/dicom"; transfer-syntax=${EXPLICIT_LE}; q=0, */*`);
    expect(qualityOf(ranges, dicomPart(EXPLICIT_LE))).toBe(0);
    expect(qualityOf(ranges, dicomPart(JPEG_LOSSLESS))).toBe(1);
  });

  it('treats transfer-syntax=* as any syntax and a missing parameter as no constraint', () => {
    expect(qualityOf(parseAccept('multipart/related; transfer-syntax=*'), dicomPart(JPEG_LOSSLESS))).toBe(1);
    expect(qualityOf(parseAccept('multipart/related; type="application/dicom"'), dicomPart(JPEG_LOSSLESS))).toBe(1);
    expect(qualityOf(parseAccept('multipart/related; type="application/dicom+xml"'), dicomPart(EXPLICIT_LE))).toBe(0);
  });
});

describe('the WADO-RS checks', () => {
  it('accept instances only when every stored syntax is acceptable', () => {
    const accept = `multipart/related; type="application/dicom"; transfer-syntax=${EXPLICIT_LE}`;
    expect(() => requireInstancesAcceptable(accept, [EXPLICIT_LE, EXPLICIT_LE])).not.toThrow();
    expect(() => requireInstancesAcceptable(accept, [EXPLICIT_LE, JPEG_LOSSLESS])).toThrow(
      expect.objectContaining({
        code: 'NOT_ACCEPTABLE',
        message: expect.stringContaining(`stored as ${JPEG_LOSSLESS}`),
      }),
    );
  });

  it('accept metadata as DICOM JSON or JSON only', () => {
    expect(() => requireMetadataAcceptable('application/json')).not.toThrow();
    expect(() => requireMetadataAcceptable('application/dicom+xml')).toThrow(
      expect.objectContaining({ code: 'NOT_ACCEPTABLE' }),
    );
  });

  it('accept frames only uncompressed', () => {
    expect(() => requireOctetStreamAcceptable('multipart/related; type="application/octet-stream"')).not.toThrow();
    expect(() => requireOctetStreamAcceptable('image/jpeg')).toThrow(
      expect.objectContaining({ code: 'NOT_ACCEPTABLE' }),
    );
  });

  it("accept WADO-URI's transferSyntax only when it is absent, * or the stored one", () => {
    expect(() => requireWadoUriSyntax(undefined, EXPLICIT_LE)).not.toThrow();
    expect(() => requireWadoUriSyntax('*', EXPLICIT_LE)).not.toThrow();
    expect(() => requireWadoUriSyntax(EXPLICIT_LE, EXPLICIT_LE)).not.toThrow();
    expect(() => requireWadoUriSyntax(JPEG_LOSSLESS, EXPLICIT_LE)).toThrow(
      expect.objectContaining({ code: 'NOT_ACCEPTABLE', message: expect.stringContaining(`stored as ${EXPLICIT_LE}`) }),
    );
  });
});
