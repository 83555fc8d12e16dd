import { describe, expect, it } from 'vitest';
import { matchesAll, matchesKey, parseQidoQuery } from './qido-query.js';

describe('parseQidoQuery', () => {
  it('reads match keys by keyword or hex tag with their dictionary VR, and the paging parameters', () => {
    const search = parseQidoQuery({ PatientID: 'P1', '00080020': '20240101-', limit: '5', offset: '10' });
    expect(search.matches).toEqual([
      { key: '00100020', vr: 'LO', value: 'P1' },
      { key: '00080020', vr: 'DA', value: '20240101-' },
    ]);
    expect([search.limit, search.offset]).toEqual([5, 10]);
  });

  it('collects includefield from repeated and comma-separated values, or all', () => {
    expect(parseQidoQuery({ includefield: ['StudyDescription', '00080060,SeriesNumber'] }).include).toEqual(
      new Set(['00081030', '00080060', '00200011']),
    );
    expect(parseQidoQuery({ includefield: 'all' }).include).toBe('all');
  });

  it('refuses an attribute that is neither a keyword nor a tag with VALIDATION_FAILED', () => {
    expect(() => parseQidoQuery({ PatientIdd: 'x' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('matchesKey (PS3.4 C.2.2.2)', () => {
  const key = (vr: 'DA' | 'UI' | 'PN' | 'CS' | 'LO', value: string) => ({ key: 'x', vr, value });

  it('matches dates by single value and by closed or open ranges', () => {
    const date = { vr: 'DA' as const, Value: ['20240115'] };
    expect(matchesKey(date, key('DA', '20240115'))).toBe(true);
    expect(matchesKey(date, key('DA', '20240101-20240131'))).toBe(true);
    expect(matchesKey(date, key('DA', '20240115-20240115'))).toBe(true);
    expect(matchesKey(date, key('DA', '-20240114'))).toBe(false);
    expect(matchesKey(date, key('DA', '20240116-'))).toBe(false);
  });

  it('matches a UID list separated by commas or backslashes, exactly', () => {
    const uid = { vr: 'UI' as const, Value: ['1.2.3'] };
    expect(matchesKey(uid, key('UI', '1.2.4,1.2.3'))).toBe(true);
    expect(matchesKey(uid, key('UI', '1.2.4\\1.2.3'))).toBe(true);
    expect(matchesKey(uid, key('UI', '1.2.*'))).toBe(false);
  });

  it('matches person names case-insensitively with wildcards, other text case-sensitively', () => {
    const name = { vr: 'PN' as const, Value: [{ Alphabetic: 'ABC123' }] };
    expect(matchesKey(name, key('PN', 'abc*'))).toBe(true);
    expect(matchesKey(name, key('PN', 'a?c123'))).toBe(true);
    expect(matchesKey(name, key('PN', 'xyz*'))).toBe(false);
    const id = { vr: 'LO' as const, Value: ['ABC123'] };
    expect(matchesKey(id, key('LO', 'abc123'))).toBe(false);
    expect(matchesKey(id, key('LO', 'ABC*'))).toBe(true);
  });

  it('treats an empty key as universal and an absent attribute as no match', () => {
    expect(matchesKey(undefined, key('LO', ''))).toBe(true);
    expect(matchesKey(undefined, key('LO', 'x'))).toBe(false);
  });

  it('matches any value of a multi-valued attribute against any value of a list key', () => {
    const modalities = { vr: 'CS' as const, Value: ['CT', 'RTSTRUCT'] };
    expect(matchesKey(modalities, key('CS', 'MR,RTSTRUCT'))).toBe(true);
    expect(matchesKey(modalities, key('CS', 'MR'))).toBe(false);
  });
});

describe('matchesAll', () => {
  it('tries a key the record lacks against its instances', () => {
    const record = { '00100020': { vr: 'LO' as const, Value: ['P1'] } };
    const instances = [{ '00080060': { vr: 'CS' as const, Value: ['CT'] } }];
    const modality = { key: '00080060', vr: 'CS' as const, value: 'CT' };
    const patient = { key: '00100020', vr: 'LO' as const, value: 'P1' };
    expect(matchesAll(record, instances, [modality, patient])).toBe(true);
    expect(matchesAll(record, instances, [{ ...modality, value: 'MR' }])).toBe(false);
  });
});
