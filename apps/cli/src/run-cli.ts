import { deidentifyCommand } from './commands/deidentify.js';
import { loginCommand } from './commands/login.js';
import { scanCommand } from './commands/scan.js';
import { slotsCommand } from './commands/slots.js';
import { uploadCommand } from './commands/upload.js';
import { CliError, EXIT } from './exit-codes.js';
import { HELP } from './help.js';
import type { CliIo } from './io.js';

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  login: loginCommand,
  slots: slotsCommand,
  scan: scanCommand,
  deidentify: deidentifyCommand,
  upload: uploadCommand,
};

/**
 * Runs one `courier` invocation and returns its exit status (see EXIT): usage errors print the
 * command's help hint on stderr; unexpected errors print their message and give 1.
 *
 * @example
 * const status = await runCli(['scan', '/media/cd', '--json'], io);
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out.write(HELP.main);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err.write(`courier: unknown command "${name}"\n\n${HELP.main}`);
    return EXIT.USAGE;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err.write(`courier ${name}: ${error.message}\n`);
      if (error.exitCode === EXIT.USAGE) io.err.write(`(courier ${name} --help for usage)\n`);
      return error.exitCode;
    }
    io.err.write(`courier ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.FAILED;
  }
}
