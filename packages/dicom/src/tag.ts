/**
 * A DICOM attribute tag as one unsigned 32-bit number: group in the high 16 bits,
 * element in the low 16 (PS3.5 7.1). Tags are compared as numbers, never as text.
 *
 * @example
 * const patientName = tag(0x0010, 0x0010); // 0x00100010
 * formatTag(patientName); // "(0010,0010)"
 */
export type Tag = number;

/** Builds a tag from its group and element numbers. */
export function tag(group: number, element: number): Tag {
  return ((group << 16) | (element & 0xffff)) >>> 0;
}

/** The group number of a tag. */
export function groupOf(t: Tag): number {
  return t >>> 16;
}

/** The element number of a tag. */
export function elementOf(t: Tag): number {
  return t & 0xffff;
}

/** "(gggg,eeee)" in upper-case hex, the notation of PS3.6 and of dcmdump. */
export function formatTag(t: Tag): string {
  const hex = t.toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

/** Private tags have an odd group number (PS3.5 7.8). */
export function isPrivateTag(t: Tag): boolean {
  return (groupOf(t) & 1) === 1;
}

/** Private Creator Data Elements are (gggg,0010-00FF) in a private group (PS3.5 7.8.1). */
export function isPrivateCreatorTag(t: Tag): boolean {
  const element = elementOf(t);
  return isPrivateTag(t) && element >= 0x0010 && element <= 0x00ff;
}

/** Group length elements (gggg,0000); retired except in group 0002 (PS3.5 7.2). */
export function isGroupLengthTag(t: Tag): boolean {
  return elementOf(t) === 0;
}
