import { describe, expect, it } from 'vitest';
import { nameFromKeyword } from './dictionary-name.js';

describe('nameFromKeyword', () => {
  it('splits a keyword into the words of its name, keeping acronyms together', () => {
    expect(nameFromKeyword('StudyInstanceUID')).toBe('Study Instance UID');
    expect(nameFromKeyword('ROIContourSequence')).toBe('ROI Contour Sequence');
    expect(nameFromKeyword('PatientID')).toBe('Patient ID');
    expect(nameFromKeyword('Rows')).toBe('Rows');
  });
});
