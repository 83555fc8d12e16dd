import type { NewValue, VR } from '@courier/dicom';

/**
 * The dummy value of action D per VR (PS3.15 E.1.1: "replace with a non-zero length value that
 * may be a dummy value and consistent with the VR"). Text says what happened; dates and times are
 * the first day of 1900 and midnight, valid for their VR; numbers are zero; binary values are one
 * zero unit. UI and SQ never reach here: a UI "dummy" is the keyed remapping (consistent across
 * files, PS3.15 E.1.1 U), and a D sequence is kept with dummy content (see deidentify.ts).
 *
 * @example
 * dummyValue('PN'); // 'ANONYMIZED'
 * dummyValue('DA'); // '19000101'
 */
export function dummyValue(vr: VR): NewValue {
  switch (vr) {
    case 'DA':
      return '19000101';
    case 'TM':
      return '000000';
    case 'DT':
      return '19000101000000';
    case 'AS':
      return '000Y';
    case 'IS':
    case 'DS':
      return '0';
    case 'UR':
      return 'urn:courier:anonymized';
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
    case 'SV':
    case 'UV':
      return [0];
    case 'AT':
      return [0];
    case 'OB':
    case 'OW':
    case 'UN':
      return new Uint8Array(2);
    case 'OF':
    case 'OL':
      return new Uint8Array(4);
    case 'OD':
    case 'OV':
      return new Uint8Array(8);
    default:
      // AE, CS, LO, LT, PN, SH, ST, UC, UT (and any other text VR): 10 characters fit every one.
      return 'ANONYMIZED';
  }
}

/** VRs whose value is free or coded text that could name a person, place or date. */
export const TEXT_VRS: ReadonlySet<VR> = new Set<VR>(['AE', 'CS', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT', 'UR']);

/** Date and time VRs. */
export const TEMPORAL_VRS: ReadonlySet<VR> = new Set<VR>(['DA', 'DT', 'TM']);
