import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CLI_DOCS_URL,
  CLI_EXAMPLES,
  type CliCommand,
  documentedOptions,
  formattedCliDocs,
  listedCommands,
} from '../scripts/generate-cli-docs.js';
import { HELP } from '../src/help.js';

type Declared = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** The options a command's parser declares, read from its source (the declarations are not exported). */
function declaredOptions(command: CliCommand): Declared {
  const source = readFileSync(new URL(`../src/commands/${command}.ts`, import.meta.url), 'utf8');
  const declared: Declared = { help: { type: 'boolean', short: 'h' } };
  for (const m of source.matchAll(/^\s+'?([a-z-]+)'?: \{ type: '(string|boolean)'(, multiple: true)?/gm)) {
    declared[m[1]!] = { type: m[2] as 'string' | 'boolean', ...(m[3] ? { multiple: true } : {}) };
  }
  return declared;
}

const commands = Object.keys(HELP).filter((k): k is CliCommand => k !== 'main');

describe('docs/cli.md', () => {
  it('is exactly what the generator writes from the help texts (run npm run docs:cli after changing help.ts)', () => {
    expect(readFileSync(CLI_DOCS_URL, 'utf8')).toBe(formattedCliDocs());
  });

  it('covers every command of the help catalogue, in the order courier --help lists them', () => {
    expect(
      listedCommands()
        .map((c) => c.name)
        .sort(),
    ).toEqual([...commands].sort());
    const page = readFileSync(CLI_DOCS_URL, 'utf8');
    for (const { name } of listedCommands()) expect(page).toContain(`## \`courier ${name}\``);
  });

  it('gives every command at least one example', () => {
    for (const command of commands) expect(CLI_EXAMPLES[command].length, command).toBeGreaterThan(0);
  });

  it("has examples that the command's own parser accepts, using only options its help documents", () => {
    for (const command of commands) {
      const declared = declaredOptions(command);
      expect(Object.keys(declared).length, command).toBeGreaterThan(1);
      const documented = documentedOptions(HELP[command]);
      for (const { argv } of CLI_EXAMPLES[command]) {
        expect(argv[0]).toBe(command);
        // Strict parsing as parseCommand does it: an unknown or ambiguous option throws here.
        expect(() =>
          parseArgs({ args: argv.slice(1), options: declared, allowPositionals: true, strict: true }),
        ).not.toThrow();
        for (const arg of argv.filter((a) => a.startsWith('--'))) {
          expect(documented, `${command} ${arg}`).toContain(arg.split('=')[0]);
        }
      }
    }
  });

  it('reads the options of a help text from its Options section', () => {
    expect(documentedOptions(HELP.scan)).toEqual(['--json', '--subject-sex', '--subject-birth-date', '--help']);
  });
});
