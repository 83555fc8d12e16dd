import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  API_ERROR_CODES,
  API_ERROR_STATUS,
  DICOMWEB_ENDPOINTS,
  DICOMWEB_ROOT,
  INSTANCE_REJECTIONS,
  ROLES,
} from '@courier/api';
import { DEFAULT_TRIAL_OPTIONS, DEID_ERROR_CODES, DEID_OPTIONS, PROFILE_EDITION, PROFILE_ROWS } from '@courier/deid';
import { IGNORED_REASONS, SANITY_CHECKS } from '@courier/uploader';
import { describe, expect, it } from 'vitest';
// The role table of the admin guide is checked against the server's own capability table; the
// server does not export it (nothing imports from an app), and this cross-package test may read it.
import { CAPABILITIES } from '../../apps/server/src/access/study-access.js';

// Keeps the guides honest (issue 10): every code a user can meet is explained in the user guide,
// with the same text and severity as the catalogues; every capability and role in the admin guide
// is the server's; every image and link resolves. Generated from the catalogues, like the
// packages' docs/errors.md tests, so a new code fails here until the guide explains it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docsDir = resolve(root, 'docs');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');
const userGuide = read('docs/user-guide.md');
const adminGuide = read('docs/admin-guide.md');

/** The text under a heading (any level) up to the next heading of the same or a higher level. */
function section(doc: string, heading: string): string {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, '') === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = lines[start]!.indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The body rows of the Markdown tables in a text, as trimmed cells. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
}

/** Rows whose first cell is a backticked code, by code (header rows have none). */
function codeRows(text: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const cells of tableRows(text)) {
    const code = /^`([A-Z][A-Z0-9_]+)`$/.exec(cells[0] ?? '')?.[1];
    if (code !== undefined) {
      if (rows.has(code)) throw new Error(`${code} is documented twice`);
      rows.set(code, cells);
    }
  }
  return rows;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(doc: string): Set<string> {
  const out = new Set<string>();
  for (const m of doc.matchAll(/^#+ (.+)$/gm)) {
    out.add(
      m[1]!
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    );
  }
  return out;
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe('the user guide explains every code a user can meet', () => {
  it('lists every ignored-file reason with the sentence the Uploader shows, and no other', () => {
    const rows = codeRows(section(userGuide, 'Ignored files'));
    expect(sorted(rows.keys())).toEqual(sorted(Object.keys(IGNORED_REASONS)));
    for (const [code, text] of Object.entries(IGNORED_REASONS)) {
      expect(rows.get(code)?.[1], code).toBe(text);
      expect(rows.get(code)?.[2], `${code}: what to do`).toMatch(/\w{3,}/);
    }
  });

  it('lists every sanity check with its severity as the Issues dialog names it, and no other', () => {
    const rows = codeRows(section(userGuide, 'Sanity checks'));
    expect(sorted(rows.keys())).toEqual(sorted(Object.keys(SANITY_CHECKS)));
    const shown = { error: 'error', warning: 'warning', info: 'note' } as const;
    for (const [code, { severity }] of Object.entries(SANITY_CHECKS)) {
      expect(rows.get(code)?.[1], code).toBe(shown[severity]);
    }
  });

  it("quotes each sanity check's message as the checks word it ('…' stands for a value)", () => {
    const source = read('packages/uploader/src/sanity-checks.ts');
    for (const [code, cells] of codeRows(section(userGuide, 'Sanity checks'))) {
      const pattern = (cells[2] ?? '')
        .split('…')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^\'"`]*');
      expect(source, `${code}: "${cells[2]}"`).toMatch(new RegExp(`['"\`]${pattern}`));
    }
  });

  it('lists every reason the Portal gives for refusing an instance, and no other', () => {
    const rows = codeRows(section(userGuide, 'Upload errors: files the Portal refused'));
    expect(sorted(rows.keys())).toEqual(sorted(INSTANCE_REJECTIONS));
  });

  it('lists every de-identification error code, and no other', () => {
    const rows = codeRows(section(userGuide, 'De-identification errors'));
    expect(sorted(rows.keys())).toEqual(sorted(Object.keys(DEID_ERROR_CODES)));
  });

  it('lists every Portal error code with its HTTP status and message, and no other', () => {
    const rows = codeRows(section(userGuide, 'Portal messages'));
    expect(sorted(rows.keys())).toEqual(sorted(Object.keys(API_ERROR_CODES)));
    for (const [code, message] of Object.entries(API_ERROR_CODES)) {
      const cells = rows.get(code);
      expect(cells?.[1], code).toBe(String(API_ERROR_STATUS[code as keyof typeof API_ERROR_STATUS]));
      expect(cells?.[2], code).toBe(message);
    }
  });
});

describe('the admin guide matches the server and the de-identification engine', () => {
  it("has a role table whose every cell is the server's capability table (study-access.ts)", () => {
    const text = section(adminGuide, 'What each role may do');
    const [header, ...body] = tableRows(text);
    const roleColumn = new Map(ROLES.map((role) => [role, header!.findIndex((h) => h.includes(`\`${role}\``))]));
    for (const [role, column] of roleColumn) expect(column, `column of ${role}`).toBeGreaterThan(0);
    const rows = new Map(body.map((cells) => [/^`(\w+)`/.exec(cells[0] ?? '')?.[1] ?? '', cells]));
    expect(sorted(rows.keys())).toEqual(sorted(Object.keys(CAPABILITIES)));
    for (const [capability, roles] of Object.entries(CAPABILITIES) as [string, readonly string[]][]) {
      for (const [role, column] of roleColumn) {
        expect(rows.get(capability)?.[column], `${capability} × ${role}`).toBe(roles.includes(role) ? 'yes' : '—');
      }
    }
  });

  it('lists every PS3.15 option with its CID 7050 code, marking the default trial set', () => {
    const rows = new Map(
      tableRows(section(adminGuide, 'The options')).map((cells) => [/^`(\w+)`/.exec(cells[0] ?? '')?.[1], cells]),
    );
    for (const [option, { code }] of Object.entries(DEID_OPTIONS)) {
      const cells = rows.get(option);
      expect(cells, option).toBeDefined();
      expect(cells!.join(' '), option).toContain(code);
      expect(cells![1] === 'yes', `${option} in the default set`).toBe(
        (DEFAULT_TRIAL_OPTIONS as readonly string[]).includes(option),
      );
    }
  });

  it('counts the rows of Table E.1-1 each option changes as the generated profile has them', () => {
    const rows = new Map(
      tableRows(section(adminGuide, 'The options')).map((cells) => [/^`(\w+)`/.exec(cells[0] ?? '')?.[1], cells]),
    );
    for (const [option, { column }] of Object.entries(DEID_OPTIONS)) {
      const count =
        column === undefined
          ? '—'
          : String(PROFILE_ROWS.filter((row) => (row.options as Record<string, string>)[column] !== undefined).length);
      expect(rows.get(option)?.[3], option).toBe(count);
    }
  });

  it('lists exactly the audit actions the server records', () => {
    const recorded = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = resolve(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          const source = readFileSync(path, 'utf8');
          // `action: 'x.y'`, `action: cond ? 'x.y' : 'x.z'` and the login actions' constants.
          for (const m of source.matchAll(/action: (?:[^,\n]*\? )?'([a-z_]+\.[a-z_]+)'(?: : '([a-z_]+\.[a-z_]+)')?/g)) {
            recorded.add(m[1]!);
            if (m[2] !== undefined) recorded.add(m[2]);
          }
          for (const m of source.matchAll(/export const LOGIN_[A-Z]+ = '([a-z_]+\.[a-z_]+)'/g)) recorded.add(m[1]!);
        }
      }
    };
    walk(resolve(root, 'apps/server/src'));
    expect(recorded.size).toBeGreaterThan(10);
    const documented = new Set(
      tableRows(section(adminGuide, 'The audit log')).flatMap((cells) =>
        [...(cells[0] ?? '').matchAll(/`([a-z_]+\.[a-z_]+)`/g)].map((m) => m[1]!),
      ),
    );
    expect(sorted(documented)).toEqual(sorted(recorded));
  });

  it("lists exactly the Portal's DICOMweb endpoints (packages/api dicomweb.ts)", () => {
    const documented = tableRows(section(adminGuide, 'Reading stored studies over DICOMweb'))
      .map((cells) => /^`(\/[^`]*)`$/.exec(cells[0] ?? '')?.[1])
      .filter((path) => path !== undefined);
    // The guide writes {study}; the descriptors :studyInstanceUid.
    const paths = DICOMWEB_ENDPOINTS.map((e) =>
      e.path
        .slice(DICOMWEB_ROOT.length)
        .replace(':studyInstanceUid', '{study}')
        .replace(':seriesInstanceUid', '{series}')
        .replace(':sopInstanceUid', '{instance}')
        .replace(':frameList', '{frames}')
        .replace(':tag', '{tag}'),
    );
    expect(sorted(documented)).toEqual(sorted(paths));
  });

  it('counts the Basic Profile actions of Table E.1-1 as the generated profile has them', () => {
    const text = section(adminGuide, 'The Basic Profile');
    expect(text).toContain(`edition ${PROFILE_EDITION}, ${PROFILE_ROWS.length} rows`);
    const counts = new Map<string, number>();
    for (const row of PROFILE_ROWS) counts.set(row.basic, (counts.get(row.basic) ?? 0) + 1);
    const documented = new Map(
      tableRows(text)
        .filter((cells) => /^`[A-Z/*]+`$/.test(cells[0] ?? ''))
        .map((cells) => [cells[0]!.slice(1, -1), Number(cells[1])]),
    );
    expect(documented).toEqual(counts);
  });
});

/** The English texts of the web app (its sources, read as text: they are apps/web's, not ours to import). */
function webTexts(): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = resolve(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !/-de\.ts$/.test(entry.name)) {
        texts.push(readFileSync(path, 'utf8'));
      }
    }
  };
  walk(resolve(root, 'apps/web/src'));
  return texts.join('\n');
}

// Bold text in the guides names what the user sees on screen (a button, tab, label), except these
// phrases, which are emphasis. Questions and sentences (ending in ? or .) are the FAQ's headings.
const EMPHASIS = new Set([
  'pseudonym',
  'yellow',
  'verified every file',
  'pop-up windows',
  'on your computer',
  'minus',
  'middle slice',
  'implied',
  'do not retry blindly',
  'de-identified on your computer',
  'active study',
  'only system administrators',
  'one-time password',
  'date offset',
  'Repeating',
  'system administrator',
]);

describe('the guides name only screen texts the web app has', () => {
  it('finds every bold label of the guides among the English texts of apps/web', () => {
    const web = webTexts();
    const unknown: string[] = [];
    for (const [name, text] of Object.entries({ 'user-guide.md': userGuide, 'admin-guide.md': adminGuide })) {
      for (const m of text.replace(/\n/g, ' ').matchAll(/\*\*([^*]+)\*\*/g)) {
        const label = m[1]!;
        if (EMPHASIS.has(label) || /[?.]$/.test(label)) continue;
        if (!web.includes(`'${label}`) && !web.includes(`${label}'`) && !web.includes(`>${label}<`)) {
          unknown.push(`${name}: **${label}**`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });
});

describe('the guides link only to what exists', () => {
  const guides = { 'user-guide.md': userGuide, 'admin-guide.md': adminGuide, 'cli.md': read('docs/cli.md') };

  it('embeds only screenshots that exist, and every screenshot the browser tests take', () => {
    const embedded = new Set<string>();
    for (const [name, text] of Object.entries(guides)) {
      for (const m of text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
        expect(existsSync(resolve(docsDir, m[1]!)), `${name}: ${m[1]}`).toBe(true);
        embedded.add(m[1]!);
      }
    }
    for (const file of readdirSync(resolve(docsDir, 'screenshots')).filter((f) => f.endsWith('.png'))) {
      expect(embedded, `docs/screenshots/${file} is in no guide`).toContain(`screenshots/${file}`);
    }
  });

  it('links to files that exist and to headings that exist', () => {
    for (const [name, text] of Object.entries(guides)) {
      for (const m of text.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        const [file = '', anchor] = target.split('#');
        const path = file === '' ? resolve(docsDir, name) : resolve(docsDir, file);
        expect(existsSync(path), `${name}: ${target}`).toBe(true);
        if (anchor !== undefined && path.endsWith('.md')) {
          expect(anchors(readFileSync(path, 'utf8')), `${name}: ${target}`).toContain(anchor);
        }
      }
    }
  });
});
