import type { Tag } from '@courier/dicom';
import { ALLOWED_TAG_INDEX, IOD_ALLOWED_BITS, NEWER_THAN_IOD_TABLES, SOP_CLASS_IOD } from './iod-allowed.generated.js';
import { iodAttributeTypes } from './iod-types.js';

const cache = new Map<string, ReadonlySet<Tag> | null>();
let index: readonly Tag[] | undefined;
let newer: ReadonlySet<Tag> | undefined;

const parseTags = (text: string): Tag[] => {
  const out: Tag[] = [];
  for (let i = 0; i < text.length; i += 8) out.push(Number.parseInt(text.slice(i, i + 8), 16) >>> 0);
  return out;
};

/**
 * The attributes the IOD of a SOP Class allows at the top level (PS3.3), or undefined when Courier
 * has no table for the SOP Class. The union of two sources, each meaning "this attribute is in the
 * IOD": what dciodvfy (dicom3tools, 2022 tables) accepts in a probe of the SOP Class
 * (src/iod-allowed.generated.ts, scripts/generate-iod-allowed.ts), and the attributes of the
 * IOD's modules as tabulated for the compound codes (src/iod-types.ts). Attributes of PS3.6
 * 2024e newer than dciodvfy's tables are therefore allowed only where those module tables place
 * them in the IOD (measured: nowhere, their content predates 2022; see data/README.md).
 *
 * @example
 * iodAllowedTags('1.2.840.10008.5.1.4.1.1.2')?.has(0x00180060); // true: KVP in a CT Image
 * iodAllowedTags('1.2.840.10008.5.1.4.1.1.2')?.has(0x300a0002); // false: RT Plan Label
 */
export function iodAllowedTags(sopClassUid: string): ReadonlySet<Tag> | undefined {
  const known = cache.get(sopClassUid);
  if (known !== undefined) return known ?? undefined;
  const key = SOP_CLASS_IOD[sopClassUid];
  let out: Set<Tag> | null = null;
  if (key !== undefined) {
    index ??= parseTags(ALLOWED_TAG_INDEX);
    const bits = atob(IOD_ALLOWED_BITS[key] ?? '');
    out = new Set();
    for (let i = 0; i < index.length; i++) {
      if ((bits.charCodeAt(i >>> 3) >>> (i & 7)) & 1) out.add(index[i]!);
    }
    // Groups 0000 and 0002 are never data set attributes (the module JSON has a stray (0000,0060)).
    for (const t of iodAttributeTypes(sopClassUid)?.keys() ?? []) if (t >>> 16 > 0x0002) out.add(t);
  }
  cache.set(sopClassUid, out);
  return out ?? undefined;
}

/**
 * Whether an attribute of the 2024e dictionary is newer than dciodvfy's 2022 tables (the tool does
 * not know it), so only the module tables of src/iod-types.ts can place it in an IOD.
 *
 * @example
 * isNewerThanIodTables(0x00080400); // true (added to PS3.6 after 2022)
 */
export function isNewerThanIodTables(t: Tag): boolean {
  newer ??= new Set(parseTags(NEWER_THAN_IOD_TABLES));
  return newer.has(t);
}

/**
 * Attributes the IOD rule never removes although an IOD may not list them: those that say how
 * Pixel Data is to be read (Image Pixel module PS3.3 C.7.6.3, Multi-frame module C.7.6.6, Modality
 * LUT C.11.1) and the pixel data itself. Real files break the IOD here (a multi-frame image sent as
 * single-frame Secondary Capture with Number of Frames): removing Number of Frames, Rows or Rescale
 * Slope would silently change the image, and these numbers identify no one.
 *
 * @example
 * PIXEL_DESCRIPTION_TAGS.has(0x00280008); // true: Number of Frames
 */
export const PIXEL_DESCRIPTION_TAGS: ReadonlySet<Tag> = new Set([
  0x00280002, // Samples per Pixel
  0x00280003, // Samples per Pixel Used
  0x00280004, // Photometric Interpretation
  0x00280006, // Planar Configuration
  0x00280008, // Number of Frames
  0x00280009, // Frame Increment Pointer
  0x00280010, // Rows
  0x00280011, // Columns
  0x00280034, // Pixel Aspect Ratio
  0x00280100, // Bits Allocated
  0x00280101, // Bits Stored
  0x00280102, // High Bit
  0x00280103, // Pixel Representation
  0x00280120, // Pixel Padding Value
  0x00280121, // Pixel Padding Range Limit
  0x00281052, // Rescale Intercept
  0x00281053, // Rescale Slope
  0x00281054, // Rescale Type
  0x00281101, // Red Palette Color Lookup Table Descriptor
  0x00281102, // Green Palette Color Lookup Table Descriptor
  0x00281103, // Blue Palette Color Lookup Table Descriptor
  0x00281201, // Red Palette Color Lookup Table Data
  0x00281202, // Green Palette Color Lookup Table Data
  0x00281203, // Blue Palette Color Lookup Table Data
  0x7fe00008, // Float Pixel Data
  0x7fe00009, // Double Float Pixel Data
  0x7fe00010, // Pixel Data
]);
