import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HELP } from '../src/help.js';

/**
 * Generates docs/cli.md from the CLI's own help texts (apps/cli/src/help.ts, the one source of
 * `courier --help`), so the reference cannot drift from what the program prints. The page adds
 * only what help does not hold: a one-line summary per command (taken from the command list of
 * `courier --help`) and worked examples, whose options apps/cli/test/cli-docs.test.ts checks
 * against the command's help and its parser declarations.
 *
 *   npm run docs:cli           # rewrite docs/cli.md
 *   npm run docs:cli -- --check  # exit 1 when docs/cli.md is not what the generator writes
 */

/** Where the generated page lives, from this file. */
export const CLI_DOCS_URL: URL = new URL('../../../docs/cli.md', import.meta.url);

/** A command name of the help catalogue (every key but `main`). */
export type CliCommand = Exclude<keyof typeof HELP, 'main'>;

/** One worked example: what it does, and the argument vector after `courier`. */
export interface CliExample {
  readonly what: string;
  readonly argv: readonly string[];
}

/**
 * Worked examples per command. Hand-written (help holds none), so the test checks that every
 * option used here is one the command documents and parses, and that every command has one.
 *
 * @example
 * CLI_EXAMPLES.scan[0]?.argv; // ['scan', '/media/cdrom']
 */
export const CLI_EXAMPLES: Readonly<Record<CliCommand, readonly CliExample[]>> = {
  login: [
    {
      what: 'Log in once with your Portal user name (the password is asked on the terminal) and keep a personal API token:',
      argv: ['login', '--portal', 'https://portal.example.org', '--username', 'ana'],
    },
    {
      what: 'Store an existing personal API token instead (checked against the Portal first), e.g. on a build machine:',
      argv: ['login', '--portal', 'https://portal.example.org', '--token', '"$COURIER_TOKEN"'],
    },
  ],
  slots: [
    {
      what: "List the upload slots of subject S01-001's events, with the slot ids `courier upload --slot` takes:",
      argv: ['slots', '--subject', 'S01-001'],
    },
    {
      what: 'The same for one study, as JSON for a script:',
      argv: ['slots', '--subject', 'S01-001', '--study', 'RT-DEMO-01', '--json'],
    },
  ],
  scan: [
    {
      what: 'See what a CD or export folder holds (studies, series, ignored files, RT tree) without sending anything:',
      argv: ['scan', '/media/cdrom'],
    },
    {
      what: 'Also run the patient checks against what the Portal records for the subject, as JSON:',
      argv: ['scan', '/media/cdrom', '--subject-sex', 'F', '--subject-birth-date', '1956', '--json'],
    },
  ],
  deidentify: [
    {
      what: 'De-identify a folder offline with the default trial options, to inspect the result with your own tools:',
      argv: [
        'deidentify',
        './export',
        '--out',
        './deidentified',
        '--patient-id',
        'AMRWKV00Z',
        '--patient-name',
        'AMRWKV00Z',
        '--uid-secret',
        '"$SECRET"',
      ],
    },
    {
      what: 'Name the options yourself (they replace the default set): here every date is shifted 21 days back instead of kept, and patient characteristics are kept; a negative number needs the `=` form:',
      argv: [
        'deidentify',
        './export',
        '--out',
        './shifted',
        '--patient-id',
        'AMRWKV00Z',
        '--patient-name',
        'AMRWKV00Z',
        '--uid-secret',
        '"$SECRET"',
        '--option',
        'retainLongitudinalModifiedDates',
        '--option',
        'retainPatientCharacteristics',
        '--date-shift-days=-21',
      ],
    },
  ],
  upload: [
    {
      what: 'Upload the one study of a folder (every series, with the whole RT set) into a slot:',
      argv: ['upload', '/media/cdrom', '--slot', '<slot id from courier slots>'],
    },
    {
      what: 'Upload one RT Dose series (and, implied, the plan, structure set and CT it references), accepting a sex mismatch you have checked:',
      argv: [
        'upload',
        '/media/cdrom',
        '--slot',
        '<slot id>',
        '--series',
        '<RTDOSE Series Instance UID>',
        '--acknowledge',
        'SANITY_PATIENT_SEX_MISMATCH',
      ],
    },
    {
      what: 'Replace the study a slot holds, keeping the log in a file of your choice:',
      argv: ['upload', './rescan', '--slot', '<slot id>', '--overwrite', '--log', 'replacement.log'],
    },
    {
      what: 'Resume a failed or interrupted run (the command a failed run prints); instances already stored are skipped:',
      argv: ['upload', '/media/cdrom', '--slot', '<slot id>', '--resume', '<upload id>'],
    },
  ],
};

/**
 * The commands in the order `courier --help` lists them, with their one-line summaries.
 *
 * @example
 * listedCommands()[0]; // { name: 'login', summary: 'Store a personal API token for a Portal' }
 */
export function listedCommands(): { name: string; summary: string }[] {
  const section = HELP.main.split(/^Commands:\n/m)[1]?.split(/\n\n/)[0] ?? '';
  return [...section.matchAll(/^ {2}(\S+)\s{2,}(.+)$/gm)].map((m) => ({ name: m[1]!, summary: m[2]!.trim() }));
}

/**
 * The long options a help text documents (`--out`, `--series`, …), from its "Options:" section.
 *
 * @example
 * documentedOptions(HELP.scan); // ['--json', '--subject-sex', '--subject-birth-date', '--help']
 */
export function documentedOptions(help: string): string[] {
  const section = help.split(/^Options:\n/m)[1]?.split(/\n\n/)[0] ?? '';
  return [...section.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

function isCommand(name: string): name is CliCommand {
  return name !== 'main' && Object.hasOwn(HELP, name);
}

/** A shell line; arguments with spaces or angle brackets are quoted, already-quoted ones kept. */
function shellLine(argv: readonly string[]): string {
  const quote = (a: string) => (/^"\$\w+"$/.test(a) || /^[\w./:@=,+-]+$/.test(a) ? a : `'${a}'`);
  return ['courier', ...argv.map(quote)].join(' ');
}

/**
 * The text of docs/cli.md before formatting: the main help, then per command its summary, its
 * help verbatim and its examples.
 *
 * @example
 * renderCliDocs().startsWith('<!--'); // true
 */
export function renderCliDocs(): string {
  const commands = listedCommands();
  const out: string[] = [
    '<!-- Generated by apps/cli/scripts/generate-cli-docs.ts from apps/cli/src/help.ts. Do not edit: run `npm run docs:cli`. -->',
    '',
    '# The `courier` command line',
    '',
    'The same pipeline as the browser Uploader, without a browser: scan a folder, check it against the',
    "slot's subject, de-identify it on this machine (DICOM PS3.15), upload it in batches, verify every",
    'instance by size and SHA-256 and let the Portal assign the study to the slot. Use it for large',
    'batches, for machines without a desktop, and for automation. From a clone of the repository run it',
    'as `npm run courier -- <command> …`; the user guide (`user-guide.md`) explains the checks and',
    'messages it prints, which are the same as in the browser.',
    '',
    'Every block below is what `courier … --help` prints; this page is generated from those texts.',
    '',
    ...commands.map((c) => `- [\`courier ${c.name}\`](#courier-${c.name}) — ${c.summary}`),
    '',
    '## `courier`',
    '',
    '```text',
    HELP.main.trimEnd(),
    '```',
  ];
  for (const { name, summary } of commands) {
    if (!isCommand(name)) throw new Error(`courier --help lists "${name}", which has no help text`);
    out.push('', `## \`courier ${name}\``, '', `${summary}.`, '', '```text', HELP[name].trimEnd(), '```', '');
    out.push('Examples:', '');
    for (const example of CLI_EXAMPLES[name]) out.push(example.what, '', '```sh', shellLine(example.argv), '```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * The page as committed: {@link renderCliDocs} formatted by the repository's Biome (which formats
 * Markdown), so `npx biome check` leaves the committed file alone.
 *
 * @example
 * writeFileSync(CLI_DOCS_URL, formattedCliDocs());
 */
export function formattedCliDocs(): string {
  const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
  return execFileSync(process.execPath, [biome, 'format', '--stdin-file-path=docs/cli.md'], {
    input: renderCliDocs(),
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = formattedCliDocs();
  if (process.argv.includes('--check')) {
    const current = readFileSync(CLI_DOCS_URL, 'utf8');
    if (current !== text) {
      console.error('docs/cli.md is out of date: run npm run docs:cli');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(CLI_DOCS_URL, text);
    console.log(`wrote ${fileURLToPath(CLI_DOCS_URL)}`);
  }
}
