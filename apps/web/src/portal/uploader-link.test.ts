import { describe, expect, it } from 'vitest';
import { parseUploaderSearch, uploaderUrl } from './uploader-link.js';

const ref = {
  studyId: '0b6d0c3e-1d4e-4a59-9a43-6f0a1f0c2a11',
  subjectId: '1c7e1d4f-2e5f-4b6a-8b54-7a1b2a1d3b22',
  eventId: '2d8f2e5a-3f6a-4c7b-9c65-8b2c3b2e4c33',
  slotDefinitionId: '3e9a3f6b-4a7b-4d8c-8d76-9c3d4c3f5d44',
};

describe('uploaderUrl', () => {
  it('round-trips the slot identifiers through the query string', () => {
    const url = new URL(uploaderUrl(ref), 'http://portal.test');
    expect(url.pathname).toBe('/uploader');
    expect(parseUploaderSearch(url.searchParams)).toEqual(ref);
  });

  it('puts nothing but the four identifiers into the URL', () => {
    const url = new URL(uploaderUrl(ref), 'http://portal.test');
    expect([...url.searchParams.keys()].sort()).toEqual(['event', 'slot', 'study', 'subject']);
  });

  it('rejects a link whose parameters are missing or not identifiers', () => {
    const url = new URL(uploaderUrl(ref), 'http://portal.test');
    url.searchParams.set('subject', 'S01-001');
    expect(parseUploaderSearch(url.searchParams)).toBeNull();
    url.searchParams.delete('subject');
    expect(parseUploaderSearch(url.searchParams)).toBeNull();
  });
});
