import {
  buildScanReport,
  type FileSource,
  formatScanReport,
  type ScanResult,
  type SubjectFacts,
  scanFiles,
} from '@courier/uploader';
import { listFileSources } from '@courier/uploader/node';
import { parseCommand, required } from '../args.js';
import { CliError, EXIT } from '../exit-codes.js';
import { HELP } from '../help.js';
import type { CliIo } from '../io.js';

/**
 * Lists and scans a folder (or one file), reporting progress on a terminal.
 *
 * @example
 * const { result, sources } = await scanPath('/media/cd', io);
 */
export async function scanPath(path: string, io: CliIo): Promise<{ result: ScanResult; sources: FileSource[] }> {
  let sources: FileSource[];
  try {
    sources = await listFileSources(path);
  } catch (error) {
    throw new CliError(EXIT.USAGE, `cannot read ${path}: ${(error as Error).message}`);
  }
  const result = await scanFiles(sources, {
    onProgress: (p) => {
      if (io.isTTY) io.err.write(`\rScanning: ${p.filesRead}/${p.total} files`);
    },
  });
  if (io.isTTY) io.err.write('\n');
  return { result, sources };
}

/**
 * `courier scan <path> [--json] [--subject-sex] [--subject-birth-date]`.
 *
 * @example
 * await scanCommand(['/media/cd', '--json'], io);
 */
export async function scanCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    json: { type: 'boolean' },
    'subject-sex': { type: 'string' },
    'subject-birth-date': { type: 'string' },
  });
  if (values.help) {
    io.out.write(HELP.scan);
    return EXIT.OK;
  }
  const path = required(positionals[0], '<path>');
  const subject = subjectFacts(values['subject-sex'], values['subject-birth-date']);
  const { result } = await scanPath(path, io);
  const report = buildScanReport(result, subject === undefined ? {} : { subject });
  io.out.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatScanReport(report)}\n`);
  return EXIT.OK;
}

function subjectFacts(sex: unknown, birth: unknown): SubjectFacts | undefined {
  if (sex === undefined && birth === undefined) return undefined;
  if (sex !== undefined && (typeof sex !== 'string' || !/^[FMO]$/.test(sex))) {
    throw new CliError(EXIT.USAGE, '--subject-sex must be F, M or O');
  }
  let facts: SubjectFacts = typeof sex === 'string' ? { sex } : {};
  if (typeof birth === 'string') {
    if (/^\d{4}$/.test(birth)) facts = { ...facts, birthYear: Number(birth) };
    else if (/^\d{4}-\d{2}-\d{2}$/.test(birth)) facts = { ...facts, birthDate: birth };
    else throw new CliError(EXIT.USAGE, '--subject-birth-date must be YYYY-MM-DD or YYYY');
  }
  return facts;
}
