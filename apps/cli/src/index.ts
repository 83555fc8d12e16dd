// @courier/cli: the `courier` command line. main.ts is the executable; runCli is for embedding and tests.
export { type CliConfig, configPath, portalKey, readConfig, writeConfig } from './config-file.js';
export { CliError, EXIT, type ExitCode } from './exit-codes.js';
export { HELP } from './help.js';
export type { CliIo } from './io.js';
export { runCli } from './run-cli.js';
export { formatSlotId, parseSlotId } from './slot-id.js';
