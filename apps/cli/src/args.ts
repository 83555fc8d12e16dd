import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError, EXIT } from './exit-codes.js';

/** Option declarations in node:util parseArgs form. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments strictly (unknown options are usage errors, exit 2).
 *
 * @example
 * const { values, positionals } = parseCommand(argv, { out: { type: 'string' } });
 */
export function parseCommand<O extends OptionSpec>(
  argv: readonly string[],
  options: O,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return {
      values: parsed.values as Record<string, string | boolean | string[] | undefined>,
      positionals: parsed.positionals,
    };
  } catch (error) {
    throw new CliError(EXIT.USAGE, error instanceof Error ? error.message : String(error));
  }
}

/**
 * A required string option or positional.
 *
 * @example
 * const out = required(values.out, '--out');
 */
export function required(value: string | boolean | string[] | undefined, name: string): string {
  if (typeof value !== 'string' || value === '') throw new CliError(EXIT.USAGE, `missing ${name}`);
  return value;
}

/**
 * A list option (declared `multiple: true`), empty when absent.
 *
 * @example
 * const series = list(values.series);
 */
export function list(value: string | boolean | string[] | undefined): string[] {
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/**
 * A positive integer option.
 *
 * @example
 * const concurrency = positiveInteger(values.concurrency, '--concurrency', 3);
 */
export function positiveInteger(
  value: string | boolean | string[] | undefined,
  name: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) throw new CliError(EXIT.USAGE, `${name} must be a positive integer`);
  return n;
}
