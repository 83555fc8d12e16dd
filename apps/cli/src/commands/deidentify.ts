import { mkdir, open, rename } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import {
  checkConfig,
  DEFAULT_TRIAL_OPTIONS,
  type DeidConfig,
  type DeidOption,
  parseDeidOption,
  UidMapper,
} from '@courier/deid';
import { sopClassName } from '@courier/dicom';
import { deidentifySource, instanceChunks, scanFile } from '@courier/uploader';
import { listFileSources } from '@courier/uploader/node';
import { list, parseCommand, required } from '../args.js';
import { CliError, EXIT } from '../exit-codes.js';
import { HELP } from '../help.js';
import type { CliIo } from '../io.js';

/**
 * `courier deidentify <in> --out <dir> …`: packages/deid offline over a folder. Each output file is
 * written part by part (new header bytes, then the source's ranges copied in chunks) to a
 * temporary name and renamed, so a cut run leaves no half file under a final name.
 *
 * @example
 * await deidentifyCommand(['in', '--out', 'out', '--patient-id', 'P1', '--patient-name', 'P1', '--uid-secret', s], io);
 */
export async function deidentifyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    out: { type: 'string' },
    'patient-id': { type: 'string' },
    'patient-name': { type: 'string' },
    'uid-secret': { type: 'string' },
    option: { type: 'string', multiple: true },
    'date-shift-days': { type: 'string' },
  });
  if (values.help) {
    io.out.write(HELP.deidentify);
    return EXIT.OK;
  }
  const input = resolve(required(positionals[0], '<in>'));
  const out = resolve(required(values.out, '--out'));
  if (!relative(input, out).startsWith('..') && relative(input, out) !== out) {
    throw new CliError(EXIT.USAGE, '--out must not be inside <in>');
  }
  const config: DeidConfig = {
    options: options(list(values.option)),
    patientId: required(values['patient-id'], '--patient-id'),
    patientName: required(values['patient-name'], '--patient-name'),
    uidSecret: required(values['uid-secret'], '--uid-secret'),
    ...(values['date-shift-days'] === undefined ? {} : { dateShiftDays: dateShift(values['date-shift-days']) }),
  };
  const problems = checkConfig(config);
  if (problems.length > 0) throw new CliError(EXIT.USAGE, problems.map((p) => p.message).join('\n'));

  const sources = await listFileSources(input);
  const uids = new UidMapper(config.uidSecret, (uid) => sopClassName(uid) !== undefined);
  let written = 0;
  let skipped = 0;
  let failed = 0;
  for (const source of sources) {
    const scanned = await scanFile(source);
    if (scanned.kind !== 'instance') {
      skipped++;
      const why =
        scanned.kind === 'ignored'
          ? `${scanned.ignored.reason}: ${scanned.ignored.message}`
          : 'zip archive (unpack it first)';
      io.err.write(`skipped ${source.path}: ${why}\n`);
      continue;
    }
    try {
      const result = await deidentifySource(source, config, uids);
      const { seriesInstanceUid, sopInstanceUid } = result.report;
      if (seriesInstanceUid === undefined || sopInstanceUid === undefined)
        throw new Error('no SOP Instance or Series UID');
      const dir = join(out, seriesInstanceUid);
      await mkdir(dir, { recursive: true });
      const target = join(dir, `${sopInstanceUid}.dcm`);
      const partial = `${target}.partial`;
      const handle = await open(partial, 'w', 0o644);
      try {
        for await (const chunk of instanceChunks({ parts: result.parts, source })) await handle.write(chunk);
      } finally {
        await handle.close();
      }
      await rename(partial, target);
      written++;
      for (const w of result.report.warnings) io.err.write(`warning ${source.path}: ${w.code}: ${w.message}\n`);
    } catch (error) {
      failed++;
      io.err.write(`failed ${source.path}: ${(error as Error).message}\n`);
    }
  }
  io.out.write(`De-identified ${written} file(s) into ${out}; ${skipped} skipped, ${failed} failed\n`);
  return failed > 0 ? EXIT.FAILED : EXIT.OK;
}

function options(names: readonly string[]): DeidOption[] {
  if (names.length === 0) return [...DEFAULT_TRIAL_OPTIONS];
  if (names.length === 1 && names[0] === 'none') return [];
  return names.map((name) => {
    const option = parseDeidOption(name);
    if (option === undefined)
      throw new CliError(EXIT.USAGE, `unknown --option ${name} (see courier deidentify --help)`);
    return option;
  });
}

function dateShift(value: unknown): number {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw new CliError(EXIT.USAGE, '--date-shift-days must be a whole number of days');
  }
  return Number(value);
}
