/**
 * What a command talks to: its output streams and environment. main.ts passes the process's;
 * nothing else in the CLI touches `process` so commands stay testable.
 *
 * @example
 * const io: CliIo = { out: process.stdout, err: process.stderr, env: process.env, isTTY: process.stdout.isTTY === true };
 */
export interface CliIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly isTTY: boolean;
  /** Reads one line from the user (undefined when there is no terminal to ask). */
  readonly ask?: (question: string, options?: { secret?: boolean }) => Promise<string>;
}
