/**
 * The attributes each IOD allows at the top level (PS3.3), for PS3.15 E.1.1's rule "attributes
 * not in Table E.1-1 and not in the IOD: removed". Measured, not parsed: David Clunie's
 * `dciodvfy` (dicom3tools, Debian package dicom3tools 1.00~20220618) knows the IODs of the 2022
 * standard and warns "Attribute is not present in standard DICOM IOD" for each top-level attribute
 * outside the IOD of the instance's SOP Class. So, per storage SOP Class (data/sops.json, 2024e):
 *
 * 1. probe: write instances (our own `createDicom`) carrying the SOP Class UID and every
 *    non-group-length, non-repeating-group, non-meta attribute of the PS3.6 dictionary
 *    (packages/dicom/data/attributes.json, 2024e) with a plausible value per VR (sequences with
 *    no items), in several files so that one bad value cannot hide the rest;
 * 2. run `dciodvfy -dump` on each: the dump proves every probed attribute was read (a reader
 *    stopping early would otherwise look like "allowed"), the first line names the IOD dciodvfy
 *    chose, and the warnings name the attributes outside it;
 * 3. allowed = probed − flagged, stored in data/iod-allowed.json with provenance, rendered to
 *    src/iod-allowed.generated.ts.
 *
 * `npm run generate:iod-allowed -w @courier/deid -- --probe` probes (needs dciodvfy: on PATH,
 * /usr/bin, or COURIER_DCIODVFY); without `--probe` it renders the committed JSON only.
 * src/iod-allowed.test.ts re-renders in memory and re-probes a few SOP Classes when dciodvfy is
 * present.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDicom, isVR, type NewElement, type VR } from '@courier/dicom';
import { iodAttributeTypes } from '../src/iod-types.js';

const packageDir: string = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The PS3.6 dictionary as @courier/dicom generates it (innolitics JSON of 2024e). */
export const DICTIONARY_SOURCE: string = join(packageDir, '..', 'dicom', 'data', 'attributes.json');
export const SOPS_SOURCE: string = join(packageDir, 'data', 'sops.json');
export const IOD_ALLOWED_DATA: string = join(packageDir, 'data', 'iod-allowed.json');
export const IOD_ALLOWED_OUTPUT: string = join(packageDir, 'src', 'iod-allowed.generated.ts');

/** Where dciodvfy is: $COURIER_DCIODVFY, else the first `dciodvfy` on PATH; undefined when absent. */
export function findDciodvfy(): string | undefined {
  const env = process.env.COURIER_DCIODVFY;
  if (env !== undefined && env !== '') return existsSync(env) ? env : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'dciodvfy'))) return join(dir, 'dciodvfy');
  }
  return existsSync('/usr/bin/dciodvfy') ? '/usr/bin/dciodvfy' : undefined;
}

/** "1.00.snapshot.20220618093127" from `dciodvfy -version`. */
export function dciodvfyVersion(bin: string): string {
  const out = spawnSync(bin, ['-version'], { encoding: 'utf8' });
  const m = /Version:\s*(\S+)/.exec(`${out.stdout}${out.stderr}`);
  if (m === null) throw new Error(`${bin} -version: no version`);
  return m[1]!;
}

interface DictionaryRow {
  id: string;
  keyword: string;
  valueRepresentation: string;
  retired: string;
}

/** One attribute to probe: tag as "ggggeeee" (lower case) and the VR to write it with. */
export interface ProbeAttribute {
  readonly tag: string;
  readonly vr: VR;
}

/**
 * The attributes probed: every dictionary attribute that can stand at the top level of a data
 * set. Left out, with reasons: group lengths (gggg,0000), retired outside 0002 and removed by the
 * de-identifier anyway; File Meta (0002) and command (0000) elements, which are not data set
 * attributes; DICOMDIR (0004), not in composite instances; repeating groups (50xx, 60xx, 7Fxx),
 * handled whole by the de-identifier; item delimiters (FFFE); Length to End (0008,0001), which
 * readers treat as a length (dciodvfy -input-nolengthtoend); attributes without a VR.
 */
export function probeAttributes(rows: readonly DictionaryRow[]): ProbeAttribute[] {
  const out: ProbeAttribute[] = [];
  for (const row of rows) {
    const id = row.id.toLowerCase();
    if (!/^[0-9a-f]{8}$/.test(id)) continue; // repeating groups ("60xx3000")
    const group = id.slice(0, 4);
    if (id.endsWith('0000') || ['0000', '0002', '0004', 'fffe'].includes(group) || id === '00080001') continue;
    // Pixel Data "OB or OW": OW, as 16 bits allocated (FIXED_VALUES) requires (PS3.5 8.2).
    const vr = id === '7fe00010' ? 'OW' : row.valueRepresentation.split(' or ')[0]!.trim();
    if (!isVR(vr)) continue;
    out.push({ tag: id, vr });
  }
  return out.sort((a, b) => (a.tag < b.tag ? -1 : 1));
}

/**
 * Values that keep the probe readable: a consistent pixel description (dciodvfy stops reading
 * when High Bit does not fit Bits Stored) and a character set it knows.
 */
const FIXED_VALUES: Readonly<Record<string, NewElement['value']>> = {
  '00080005': 'ISO_IR 100',
  '00280002': [1],
  '00280004': 'MONOCHROME2',
  '00280008': '1',
  '00280010': [1],
  '00280011': [1],
  '00280100': [16],
  '00280101': [16],
  '00280102': [15],
  '00280103': [0],
  '7fe00010': new Uint8Array(2),
  // Value Type: the root content item of an SR document is a CONTAINER (PS3.3 C.17.3); with any
  // other value dciodvfy drops the container's attributes (Continuity Of Content) from the IOD.
  '0040a040': 'CONTAINER',
};

/**
 * dciodvfy decides whether a conditional module is present from attribute values (PS3.3 "C"
 * usage, e.g. Multi-energy CT Image only when Multi-energy CT Acquisition is YES), and flags the
 * attributes of a module it finds absent as "not in the IOD". A probe with one value per VR
 * satisfies few conditions, so a SOP Class with an absent module is probed again with the
 * variants listed for that module (values a real instance can carry); an attribute allowed in any
 * variant is allowed (the de-identifier does not evaluate conditions). The list was made from the
 * absent modules of a first run over every SOP Class; `-- --probe --verbose` prints the modules
 * that stay absent.
 */
export const CONDITION_VARIANTS: readonly {
  readonly modules: readonly string[];
  readonly values: Readonly<Record<string, NewElement['value']>>;
}[] = [
  // Multi-energy CT Acquisition (0018,9361) = YES
  { modules: ['MultienergyCTImage', 'EnhancedMultienergyCTAcquisition'], values: { '00189361': 'YES' } },
  // Presentation Intent Type (0008,0068): VOI LUT in DX/MG/IO for presentation; IVOCT functional groups
  {
    modules: ['VOILUT', 'MultiFrameFunctionalGroupsForIVOCTImageForPresentation'],
    values: { '00080068': 'FOR PRESENTATION' },
  },
  {
    modules: ['MultiFrameFunctionalGroupsForIVOCTImageForProcessing', 'IntravascularOCTProcessingParameters'],
    values: { '00080068': 'FOR PROCESSING' },
  },
  // Photometric Interpretation, Pixel Presentation (0008,9205)
  { modules: ['PaletteColorLookupTable'], values: { '00280004': 'PALETTE COLOR' } },
  { modules: ['SupplementalPaletteColorLUT'], values: { '00089205': 'COLOR' } },
  { modules: ['SupplementalPaletteColorLUT'], values: { '00089205': 'MIXED' } },
  // Frame Increment Pointer (0028,0009) of a multi-frame image: Frame Time → Cine; a vector → SC Multi-frame Vector
  { modules: ['Cine'], values: { '00280009': [0x00181063], '00280008': '2' } },
  {
    modules: ['SCMultiFrameVector', 'FrameOfReference'],
    values: { '00280009': [0x00182005], '00280008': '2' }, // Slice Location Vector
  },
  { modules: ['SCMultiFrameVector'], values: { '00280009': [0x00182002], '00280008': '2' } }, // Frame Label Vector
  { modules: ['MultiFrame'], values: { '00280009': [0x3004000c], '00280008': '2' } }, // RT Dose: Grid Frame Offset Vector
  // Pixel Intensity Relationship (0028,1040) → Modality LUT in XA/XRF
  { modules: ['ModalityLUT'], values: { '00281040': 'LOG' } },
  // X-Ray Receptor Type (0018,9420); the defined term IMAGE_INTENSIFIER has 17 characters (over CS's 16): raw bytes
  { modules: ['XRayImageIntensifier'], values: { '00189420': new TextEncoder().encode('IMAGE_INTENSIFIER ') } },
  { modules: ['XRayDetector'], values: { '00189420': 'DIGITAL_DETECTOR' } },
  // Image Type (0008,0008) value 1 and 3
  { modules: ['XAXRFAcquisition'], values: { '00080008': 'ORIGINAL\\PRIMARY' } },
  { modules: ['XRayTomographyAcquisition', 'NMTomoAcquisition'], values: { '00080008': 'ORIGINAL\\PRIMARY\\TOMO' } },
  { modules: ['NMReconstruction'], values: { '00080008': 'ORIGINAL\\PRIMARY\\RECON TOMO\\EMISSION' } },
  { modules: ['NMMultiGatedAcquisition'], values: { '00080008': 'ORIGINAL\\PRIMARY\\GATED\\EMISSION' } },
  { modules: ['NMPhase'], values: { '00080008': 'ORIGINAL\\PRIMARY\\DYNAMIC\\EMISSION' } },
  // Series Type (0054,1000) value 1 GATED → PET Multi-gated Acquisition
  { modules: ['PETMultigatedAcquisition'], values: { '00541000': 'GATED\\IMAGE' } },
  // Shutter Shape (0018,1600) BITMAP → Bitmap Display Shutter
  { modules: ['BitmapDisplayShutter'], values: { '00181600': 'BITMAP' } },
  // Frame of Reference: Annotation Coordinate Type 3D (bulk annotations); C-arm Positioner Tabletop Relationship YES (Enhanced XA)
  { modules: ['FrameOfReference'], values: { '006a0001': '3D' } },
  { modules: ['FrameOfReference', 'Synchronization'], values: { '00189474': 'YES' } },
  { modules: ['Synchronization'], values: { '00181800': 'Y' } }, // Acquisition Time Synchronized
  // Modality IVUS → IVUS Image (Enhanced US Volume)
  { modules: ['IVUSImage'], values: { '00080060': 'IVUS' } },
];

/** A value of each VR that parses and fits (PS3.5 Table 6.2-1); sequences have no items. */
function probeValue(vr: VR): NewElement['value'] {
  switch (vr) {
    case 'AE':
    case 'CS':
      return 'PROBE';
    case 'AS':
      return '030Y';
    case 'AT':
      return [0x00100010];
    case 'DA':
      return '20200101';
    case 'DS':
    case 'IS':
      return '1';
    case 'DT':
      return '20200101120000';
    case 'TM':
      return '120000';
    case 'PN':
      return 'Probe^Value';
    case 'UI':
      return '1.2.3.4';
    case 'UR':
      return 'http://probe.invalid/';
    case 'LO':
    case 'LT':
    case 'SH':
    case 'ST':
    case 'UC':
    case 'UT':
      return 'Probe';
    case 'FL':
    case 'FD':
    case 'SL':
    case 'SS':
    case 'UL':
    case 'US':
    case 'SV':
    case 'UV':
      return [1];
    case 'SQ':
      return [];
    default:
      return new Uint8Array(8); // OB OD OF OL OV OW UN: a multiple of every unit size
  }
}

/**
 * One probe instance: the SOP Class UID and the attributes with their probe values, `overrides`
 * (tag → value) taking precedence, split into `parts` files by contiguous tag ranges.
 */
export function probeFiles(
  sopClassUid: string,
  attributes: readonly ProbeAttribute[],
  overrides: Readonly<Record<string, NewElement['value']>> = {},
  parts = 1,
): Uint8Array[] {
  const size = Math.ceil(attributes.length / parts);
  const files: Uint8Array[] = [];
  for (let i = 0; i < attributes.length; i += size) {
    const chunk = attributes.slice(i, i + size).filter((a) => a.tag !== '00080016' && a.tag !== '00080018');
    files.push(
      createDicom([
        { tag: 0x00080016, vr: 'UI', value: sopClassUid },
        { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5' },
        ...chunk.map((a) => ({
          tag: Number.parseInt(a.tag, 16),
          vr: a.vr,
          value: overrides[a.tag] ?? FIXED_VALUES[a.tag] ?? probeValue(a.vr),
        })),
      ]),
    );
  }
  return files;
}

/** What dciodvfy said about one probe file. */
export interface ProbeOutcome {
  /** The IOD dciodvfy chose (its first output line), e.g. "CTImage"; '' when it chose none. */
  readonly iod: string;
  /** Top-level tags it read ("ggggeeee"), from the dump. */
  readonly read: ReadonlySet<string>;
  /** Tags its dictionary does not know (newer than its 2022 dictionary, or a VR it cannot read). */
  readonly unknown: ReadonlySet<string>;
  /** Top-level tags it flagged "not present in standard DICOM IOD". */
  readonly flagged: ReadonlySet<string>;
  /** The modules of the IOD in its order, and whether dciodvfy found each present. */
  readonly modules: readonly { readonly name: string; readonly present: boolean }[];
}

const TAG = '\\(0x([0-9a-f]{4}),0x([0-9a-f]{4})\\)';
const DUMP_LINE = new RegExp(`^${TAG} .* VR=<`);
const UNKNOWN_LINE = new RegExp(
  `^${TAG} .*(Unrecognized tag|Unrecognized or unsupported tag)|not a recognized standard attribute - ${TAG}`,
);
const FLAG_LINE = new RegExp(`Attribute is not present in standard DICOM IOD - ${TAG}`);
const MODULE_LINE = /^\tModule <([^>]+)>( not present)?/;

/** Parses the output of `dciodvfy -describe -dump`. */
export function parseProbeOutput(text: string): ProbeOutcome {
  const read = new Set<string>();
  const unknown = new Set<string>();
  const flagged = new Set<string>();
  const modules: { name: string; present: boolean }[] = [];
  let iod = '';
  for (const line of text.split('\n')) {
    const dump = DUMP_LINE.exec(line);
    if (dump !== null) read.add(`${dump[1]}${dump[2]}`);
    const unk = UNKNOWN_LINE.exec(line);
    if (unk !== null) unknown.add(`${unk[1] ?? unk[4]}${unk[2] ?? unk[5]}`);
    const flag = FLAG_LINE.exec(line);
    if (flag !== null) flagged.add(`${flag[1]}${flag[2]}`);
    const mod = MODULE_LINE.exec(line);
    if (mod !== null) modules.push({ name: mod[1]!, present: mod[2] === undefined });
    if (iod === '' && /^[A-Z][A-Za-z0-9]*$/.test(line)) iod = line;
  }
  return { iod, read, unknown, flagged, modules };
}

/** Runs `dciodvfy -describe -dump` on one file. */
export function runProbe(bin: string, path: string): ProbeOutcome {
  const out = spawnSync(bin, ['-describe', '-dump', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseProbeOutput(`${out.stdout}\n${out.stderr}`);
}

/** Modules dciodvfy cannot find present because their attributes are repeating groups (60xx, 50xx), not probed. */
const UNPROBED_MODULE = /Overlay|Curve/;

/** The outcome for one SOP Class. */
export interface SopClassProbe {
  readonly sopClass: string;
  /** The IOD dciodvfy uses; '' when it has none for this SOP Class (newer than 2022 or unsupported). */
  readonly iod: string;
  /** Top-level tags ("ggggeeee") allowed in some probed variant. */
  readonly allowed: ReadonlySet<string>;
  /** Tags of the probe dciodvfy does not know. */
  readonly unknown: ReadonlySet<string>;
  /** Modules of the IOD that no variant made present (their attributes may be missing from `allowed`). */
  readonly absentModules: readonly string[];
}

/**
 * Probes one SOP Class: writes the probe (split further while dciodvfy does not read every
 * attribute), then the condition variants while modules stay absent.
 */
export function probeSopClass(
  bin: string,
  dir: string,
  sopClass: string,
  attributes: readonly ProbeAttribute[],
): SopClassProbe {
  const run = (overrides: Readonly<Record<string, NewElement['value']>>): ProbeOutcome => {
    for (const parts of [1, 4, 16]) {
      const outcomes = probeFiles(sopClass, attributes, overrides, parts).map((bytes, i) => {
        const path = join(dir, `${sopClass}-${i}.dcm`);
        writeFileSync(path, bytes);
        const outcome = runProbe(bin, path);
        rmSync(path);
        return outcome;
      });
      const merged = mergeOutcomes(outcomes);
      if (attributes.every((a) => merged.read.has(a.tag) || merged.unknown.has(a.tag))) return merged;
    }
    throw new Error(`dciodvfy did not read every probed attribute of ${sopClass}, even split in 16 files`);
  };
  const allowedOf = (o: ProbeOutcome): string[] =>
    attributes.map((a) => a.tag).filter((t) => !o.flagged.has(t) && !o.unknown.has(t));
  const base = run({});
  const allowed = new Set(base.iod === '' ? [] : allowedOf(base));
  const absentIn = (o: ProbeOutcome): Set<string> =>
    new Set(o.modules.filter((m) => !m.present && !UNPROBED_MODULE.test(m.name)).map((m) => m.name));
  let absent = absentIn(base);
  for (const variant of CONDITION_VARIANTS) {
    if (base.iod === '' || !variant.modules.some((m) => absent.has(m))) continue;
    const o = run(variant.values);
    const now = absentIn(o);
    if (o.iod !== base.iod || ![...absent].some((m) => !now.has(m))) continue;
    for (const t of allowedOf(o)) allowed.add(t);
    absent = new Set([...absent].filter((m) => now.has(m)));
  }
  return { sopClass, iod: base.iod, allowed, unknown: base.unknown, absentModules: [...absent] };
}

function mergeOutcomes(outcomes: readonly ProbeOutcome[]): ProbeOutcome {
  const iods = new Set(outcomes.map((o) => o.iod));
  if (iods.size !== 1) throw new Error(`probe parts chose different IODs: ${[...iods].join(', ')}`);
  const union = (pick: (o: ProbeOutcome) => ReadonlySet<string>) => new Set(outcomes.flatMap((o) => [...pick(o)]));
  const modules = new Map<string, boolean>();
  for (const o of outcomes) for (const m of o.modules) modules.set(m.name, (modules.get(m.name) ?? false) || m.present);
  return {
    iod: outcomes[0]!.iod,
    read: union((o) => o.read),
    unknown: union((o) => o.unknown),
    flagged: union((o) => o.flagged),
    modules: [...modules].map(([name, present]) => ({ name, present })),
  };
}

/** data/iod-allowed.json. */
export interface IodAllowedData {
  readonly tool: string;
  readonly toolVersion: string;
  readonly probed: string;
  readonly dictionary: string;
  readonly method: string;
  /** Probed attributes dciodvfy does not know (added to PS3.6 after its 2022 dictionary), space-separated. */
  readonly unknownToTool: string;
  /** IOD (dciodvfy's name) → its SOP Classes, the allowed top-level tags (space-separated), modules never present. */
  readonly iods: Readonly<Record<string, { sopClasses: string[]; absentModules: string[]; allowed: string }>>;
  /** Storage SOP Classes of 2024e for which dciodvfy has no IOD: UID → name. */
  readonly noIod: Readonly<Record<string, string>>;
}

/** Probes every storage SOP Class of data/sops.json. */
export function probeAll(bin: string, log: (line: string) => void = () => {}): IodAllowedData {
  const attributes = probeAttributes(JSON.parse(readFileSync(DICTIONARY_SOURCE, 'utf8')) as DictionaryRow[]);
  const sops = (JSON.parse(readFileSync(SOPS_SOURCE, 'utf8')) as { id: string; name: string }[])
    .filter((s) => s.name.includes('Storage'))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const dir = mkdtempSync(join(tmpdir(), 'courier-iod-probe-'));
  const iods: Record<string, { sopClasses: string[]; absentModules: string[]; allowed: string }> = {};
  const noIod: Record<string, string> = {};
  let unknown: ReadonlySet<string> | undefined;
  try {
    for (const sop of sops) {
      const p = probeSopClass(bin, dir, sop.id, attributes);
      unknown ??= p.unknown;
      log(
        `${sop.id} ${p.iod || '(no IOD)'}: ${p.allowed.size} allowed${p.absentModules.length > 0 ? `, never present: ${p.absentModules.join(' ')}` : ''}`,
      );
      if (p.iod === '') {
        noIod[sop.id] = sop.name;
        continue;
      }
      const allowed = [...p.allowed].sort().join(' ');
      let key = p.iod;
      const existing = iods[key];
      if (existing !== undefined && existing.allowed !== allowed) key = `${p.iod} ${sop.id}`;
      const entry = iods[key] ?? { sopClasses: [], absentModules: [...p.absentModules].sort(), allowed };
      iods[key] = entry;
      entry.sopClasses.push(sop.id);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    tool: 'dciodvfy (dicom3tools by David Clunie, Debian package dicom3tools)',
    toolVersion: dciodvfyVersion(bin),
    probed: new Date().toISOString().slice(0, 10),
    dictionary: 'PS3.6 2024e (packages/dicom/data/attributes.json)',
    method:
      'per storage SOP Class: probe instance with every top-level dictionary attribute (+ condition variants), ' +
      'allowed = probed - "Attribute is not present in standard DICOM IOD" - unknown to dciodvfy',
    unknownToTool: [...(unknown ?? [])].sort().join(' '),
    iods: Object.fromEntries(Object.entries(iods).sort(([a], [b]) => (a < b ? -1 : 1))),
    noIod,
  };
}

export function readAllowedData(): IodAllowedData {
  return JSON.parse(readFileSync(IOD_ALLOWED_DATA, 'utf8')) as IodAllowedData;
}

/**
 * Step 2, pure so the test can compare: data/iod-allowed.json → src/iod-allowed.generated.ts.
 * Compact: one index of every tag some IOD allows, and per IOD a bit set over it (base64).
 */
export function renderIodAllowed(data: IodAllowedData): string {
  const sets = Object.entries(data.iods).map(([key, v]) => [key, v.allowed.split(' ')] as const);
  const index = [...new Set(sets.flatMap(([, tags]) => tags))].sort();
  const position = new Map(index.map((t, i) => [t, i]));
  const bits = (tags: readonly string[]): string => {
    const bytes = new Uint8Array(Math.ceil(index.length / 8));
    for (const t of tags) {
      const i = position.get(t)!;
      bytes[i >>> 3]! |= 1 << (i & 7);
    }
    return Buffer.from(bytes).toString('base64');
  };
  const wrap = (text: string): string[] => text.match(/.{1,96}/g)?.map((l) => `  '${l}' +`) ?? [];
  const joined = (text: string, name: string, doc: string): string[] => {
    const lines = wrap(text);
    if (lines.length > 0) lines[lines.length - 1] = lines[lines.length - 1]!.replace(/ \+$/, ';');
    return [doc, `export const ${name}: string =`, ...(lines.length > 0 ? lines : ["  '';"])];
  };
  return [
    '// Generated by packages/deid/scripts/generate-iod-allowed.ts from data/iod-allowed.json. Do not edit.',
    `// Source: ${data.tool} ${data.toolVersion}, probed ${data.probed}; dictionary ${data.dictionary}.`,
    '',
    '/** Where the allowed sets come from (for reports and documentation). */',
    `export const IOD_ALLOWED_SOURCE: string = 'dciodvfy ${data.toolVersion} (probed ${data.probed})';`,
    '',
    ...joined(
      index.join(''),
      'ALLOWED_TAG_INDEX',
      '/** Every tag some IOD allows at the top level, 8 hex digits each, sorted: bit i of a set is tag i. */',
    ),
    '',
    "/** IOD (dciodvfy's name) → bit set over ALLOWED_TAG_INDEX, base64. */",
    'export const IOD_ALLOWED_BITS: Readonly<Record<string, string>> = {',
    ...sets.map(([key, tags]) => `  '${key}': '${bits(tags)}',`),
    '};',
    '',
    '/** SOP Class UID → its IOD key in IOD_ALLOWED_BITS. */',
    'export const SOP_CLASS_IOD: Readonly<Record<string, string>> = {',
    ...Object.entries(data.iods)
      .flatMap(([key, v]) => v.sopClasses.map((uid) => [uid, key] as const))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([uid, key]) => `  '${uid}': '${key}',`),
    '};',
    '',
    ...joined(
      data.unknownToTool.replace(/ /g, ''),
      'NEWER_THAN_IOD_TABLES',
      "/** PS3.6 2024e attributes newer than the tool's tables (it does not know them), 8 hex digits each. */",
    ),
    '',
  ].join('\n');
}

/**
 * How the two tables relate, per IOD (`-- --report`): of the attributes the 2024e module tables
 * place in the IOD (src/iod-types.ts), how many dciodvfy does not know (newer than 2022: kept only
 * because the module tables list them) and how many it knows but flags (the tables disagree:
 * kept, as the module tables say they belong); and how many of its allowed attributes the module
 * tables miss (modules the 2008 IOD lists lack).
 */
export function measureAgainstModuleTables(
  data: IodAllowedData,
  moduleTypes: (sopClass: string) => ReadonlyMap<number, unknown> | undefined,
): { iod: string; moduleTable: number; newer: number; flaggedKnown: number; probedOnly: number }[] {
  const unknown = new Set(data.unknownToTool.split(' '));
  const rows = [];
  for (const [iod, v] of Object.entries(data.iods)) {
    const types = v.sopClasses.map(moduleTypes).find((t) => t !== undefined);
    if (types === undefined) continue;
    const allowed = new Set(v.allowed.split(' '));
    const table = [...types.keys()].map((t) => t.toString(16).padStart(8, '0'));
    rows.push({
      iod,
      moduleTable: table.length,
      newer: table.filter((t) => unknown.has(t)).length,
      flaggedKnown: table.filter((t) => !unknown.has(t) && !allowed.has(t)).length,
      probedOnly: [...allowed].filter((t) => !table.includes(t)).length,
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--probe')) {
    const bin = findDciodvfy();
    if (bin === undefined) throw new Error('dciodvfy not found: apt-get install dicom3tools, or set COURIER_DCIODVFY');
    const data = probeAll(bin, process.argv.includes('--verbose') ? console.log : () => {});
    writeFileSync(IOD_ALLOWED_DATA, `${JSON.stringify(data, null, 1)}\n`);
  }
  writeFileSync(IOD_ALLOWED_OUTPUT, renderIodAllowed(readAllowedData()));
  console.log(`wrote ${IOD_ALLOWED_OUTPUT}`);
  if (process.argv.includes('--report')) {
    console.log('| IOD | module-table attributes | newer than dciodvfy | known but flagged | probed only |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const r of measureAgainstModuleTables(readAllowedData(), iodAttributeTypes)) {
      console.log(`| ${r.iod} | ${r.moduleTable} | ${r.newer} | ${r.flaggedKnown} | ${r.probedOnly} |`);
    }
  }
}
