/**
 * The exit status of every `courier` command (documented in `courier --help`).
 *
 * @example
 * process.exitCode = EXIT.USAGE;
 */
export const EXIT = {
  /** Done: everything asked was done (an upload verified and assigned). */
  OK: 0,
  /** Failed: something went wrong; the error table or message says what. */
  FAILED: 1,
  /** Usage: unknown command or option, missing or invalid argument. */
  USAGE: 2,
  /** A sanity check blocks the upload (an error, or a warning not acknowledged). */
  BLOCKED: 3,
  /** Authentication: no token, or the Portal refused it. */
  AUTH: 4,
} as const;

/** One of the {@link EXIT} values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error that ends a command with a given exit code and a message for stderr.
 *
 * @example
 * throw new CliError(EXIT.USAGE, 'missing --portal');
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}
