/**
 * The modality a SOP class implies, for the storage classes the RT workflow names (PS3.4 B.5,
 * PS3.3 A.1.4 modality per IOD). Used to label a referenced series that is absent from the drop,
 * where only the Referenced SOP Class UID (0008,1150) tells what it was.
 *
 * @example
 * modalityOfSopClass('1.2.840.10008.5.1.4.1.1.481.5'); // 'RTPLAN'
 */
export function modalityOfSopClass(sopClassUID: string | undefined): string | undefined {
  return sopClassUID === undefined ? undefined : MODALITY_BY_SOP_CLASS.get(sopClassUID);
}

/**
 * True for Secondary Capture Image Storage and its multi-frame variants (PS3.3 A.8): often screenshots.
 *
 * @example
 * isSecondaryCaptureSopClass('1.2.840.10008.5.1.4.1.1.7.2'); // true
 */
export function isSecondaryCaptureSopClass(sopClassUID: string): boolean {
  return sopClassUID === SC || sopClassUID.startsWith(`${SC}.`);
}

const SC = '1.2.840.10008.5.1.4.1.1.7';
const P = '1.2.840.10008.5.1.4.1.1.';

// biome-ignore format: one SOP class a line reads like PS3.4 Table B.5-1
const MODALITY_BY_SOP_CLASS: ReadonlyMap<string, string> = new Map([
  [`${P}1`, 'CR'], [`${P}2`, 'CT'], [`${P}2.1`, 'CT'], [`${P}2.2`, 'CT'], [`${P}4`, 'MR'], [`${P}4.1`, 'MR'],
  [`${P}4.4`, 'MR'], [`${P}20`, 'NM'], [`${P}128`, 'PT'], [`${P}130`, 'PT'], [`${P}6.1`, 'US'], [`${P}6.2`, 'US'],
  [`${P}481.1`, 'RTIMAGE'], [`${P}481.2`, 'RTDOSE'], [`${P}481.3`, 'RTSTRUCT'], [`${P}481.4`, 'RTRECORD'],
  [`${P}481.5`, 'RTPLAN'], [`${P}481.6`, 'RTRECORD'], [`${P}481.7`, 'RTRECORD'], [`${P}481.8`, 'RTPLAN'],
  [`${P}481.9`, 'RTRECORD'], [`${P}66.1`, 'REG'], [`${P}66.3`, 'REG'], [`${P}66.4`, 'SEG'],
  [SC, 'OT'], [`${SC}.1`, 'OT'], [`${SC}.2`, 'OT'], [`${SC}.3`, 'OT'], [`${SC}.4`, 'OT'],
]);
