/**
 * Value Representations of PS3.5 6.2 and how each is encoded.
 *
 * @example
 * VR_INFO.OB.longLength; // true: explicit VR uses 2 reserved bytes and a 32-bit length (PS3.5 7.1.2)
 */
export type VR =
  | 'AE'
  | 'AS'
  | 'AT'
  | 'CS'
  | 'DA'
  | 'DS'
  | 'DT'
  | 'FD'
  | 'FL'
  | 'IS'
  | 'LO'
  | 'LT'
  | 'OB'
  | 'OD'
  | 'OF'
  | 'OL'
  | 'OV'
  | 'OW'
  | 'PN'
  | 'SH'
  | 'SL'
  | 'SQ'
  | 'SS'
  | 'ST'
  | 'SV'
  | 'TM'
  | 'UC'
  | 'UI'
  | 'UL'
  | 'UN'
  | 'UR'
  | 'US'
  | 'UT'
  | 'UV';

export interface VRInfo {
  /** Explicit VR encoding with 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1). */
  readonly longLength: boolean;
  /** Padding byte to reach even length: space for text, NUL for UI and binary (PS3.5 6.2). */
  readonly padding: 0x20 | 0x00;
  /** Values are text (possibly in the Specific Character Set when `specificCharacterSet`). */
  readonly text: boolean;
  /** Text that is decoded with Specific Character Set (PS3.5 6.1.2.3); the others are default repertoire. */
  readonly specificCharacterSet: boolean;
  /** Size of one binary value in bytes (0 for text, sequences and byte streams). */
  readonly binarySize: 0 | 1 | 2 | 4 | 8;
}

const text = (specificCharacterSet: boolean, longLength = false): VRInfo => ({
  longLength,
  padding: 0x20,
  text: true,
  specificCharacterSet,
  binarySize: 0,
});
const binary = (binarySize: VRInfo['binarySize'], longLength = false): VRInfo => ({
  longLength,
  padding: 0x00,
  text: false,
  specificCharacterSet: false,
  binarySize,
});

// biome-ignore format: one VR a line reads like PS3.5 Table 6.2-1
export const VR_INFO: Readonly<Record<VR, VRInfo>> = {
  AE: text(false), AS: text(false), AT: binary(4), CS: text(false), DA: text(false), DS: text(false),
  DT: text(false), FD: binary(8), FL: binary(4), IS: text(false), LO: text(true), LT: text(true),
  OB: binary(1, true), OD: binary(8, true), OF: binary(4, true), OL: binary(4, true), OV: binary(8, true),
  OW: binary(2, true), PN: text(true), SH: text(true), SL: binary(4), SQ: binary(0, true), SS: binary(2),
  ST: text(true), SV: binary(8, true), TM: text(false), UC: text(true, true), UI: { ...text(false), padding: 0x00 },
  UL: binary(4), UN: binary(1, true), UR: text(false, true), US: binary(2), UT: text(true, true), UV: binary(8, true),
};

/** True when `value` is one of the VRs of PS3.5 6.2. */
export function isVR(value: string): value is VR {
  return Object.hasOwn(VR_INFO, value);
}
