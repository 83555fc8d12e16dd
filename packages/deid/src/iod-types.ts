import { MODULE_ATTRIBUTE_TYPES, SOP_CLASS_MODULES } from './iod-types.generated.js';

/**
 * The Type of an attribute in an IOD (PS3.5 7.4): 1 required with a value, 2 required (may be
 * empty), 3 optional; C marks a condition, which Courier treats as if it held (a conditional
 * attribute present in a file is there because its condition held).
 *
 * @example
 * const t: AttributeType = '2';
 */
export type AttributeType = '1' | '2' | '3';

const cache = new Map<string, ReadonlyMap<number, AttributeType> | null>();

/**
 * The top-level attributes of the IOD of a SOP Class with their Type — the strictest over the
 * IOD's modules when several list one attribute (1 > 2 > 3) — or undefined when the SOP Class is
 * not in the tables (src/iod-types.generated.ts: IOD → modules of PS3.3 2008 via GDCM, module
 * contents of the current edition via innolitics; see scripts/generate-iod-types.ts).
 *
 * @example
 * iodAttributeTypes('1.2.840.10008.5.1.4.1.1.2')?.get(0x00080080); // '3' (Institution Name in CT)
 */
export function iodAttributeTypes(sopClassUid: string): ReadonlyMap<number, AttributeType> | undefined {
  const known = cache.get(sopClassUid);
  if (known !== undefined) return known ?? undefined;
  const modules = SOP_CLASS_MODULES[sopClassUid];
  let out: Map<number, AttributeType> | null = null;
  if (modules !== undefined) {
    out = new Map();
    for (const module of modules) {
      for (const entry of (MODULE_ATTRIBUTE_TYPES[module] ?? '').split(' ')) {
        if (entry === '') continue;
        const t = Number.parseInt(entry.slice(0, 8), 16);
        const type = entry[9] as AttributeType;
        const before = out.get(t);
        if (before === undefined || type < before) out.set(t, type);
      }
    }
  }
  cache.set(sopClassUid, out);
  return out ?? undefined;
}
