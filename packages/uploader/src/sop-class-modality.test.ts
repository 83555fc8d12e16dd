import { describe, expect, it } from 'vitest';
import { isSecondaryCaptureSopClass, modalityOfSopClass } from './sop-class-modality.js';

describe('modalityOfSopClass', () => {
  it('names the modality of the RT storage classes, RT Ion Plan included', () => {
    expect(modalityOfSopClass('1.2.840.10008.5.1.4.1.1.481.3')).toBe('RTSTRUCT');
    expect(modalityOfSopClass('1.2.840.10008.5.1.4.1.1.481.8')).toBe('RTPLAN');
    expect(modalityOfSopClass('1.2.840.10008.5.1.4.1.1.128')).toBe('PT');
  });

  it('says nothing for unknown or absent classes', () => {
    expect(modalityOfSopClass('1.2.3')).toBeUndefined();
    expect(modalityOfSopClass(undefined)).toBeUndefined();
  });
});

describe('isSecondaryCaptureSopClass', () => {
  it('recognises single- and multi-frame secondary capture but not its prefix lookalikes', () => {
    expect(isSecondaryCaptureSopClass('1.2.840.10008.5.1.4.1.1.7')).toBe(true);
    expect(isSecondaryCaptureSopClass('1.2.840.10008.5.1.4.1.1.7.4')).toBe(true);
    expect(isSecondaryCaptureSopClass('1.2.840.10008.5.1.4.1.1.77.1')).toBe(false);
  });
});
