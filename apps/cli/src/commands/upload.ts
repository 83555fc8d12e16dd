import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { createApiToken, createUpload, getUpload, login, type UploadSession } from '@courier/api';
import { checkConfig, deidConfigOfSlot } from '@courier/deid';
import {
  type Acknowledgement,
  buildRtGraph,
  emptySelection,
  type FileSource,
  type IncrementalHash,
  PortalClient,
  runSanityChecks,
  runUpload,
  type SanityCheckResult,
  type ScanResult,
  sanityAuditEntries,
  selectAll,
  selectedSeries,
  type UploadItem,
  UploadLog,
  uploadGate,
  zipMemberSources,
} from '@courier/uploader';
import { list, parseCommand, positiveInteger, required } from '../args.js';
import { CliError, EXIT } from '../exit-codes.js';
import { HELP } from '../help.js';
import type { CliIo } from '../io.js';
import { authenticatedClient } from '../portal.js';
import { createProgress } from '../progress.js';
import { parseSlotId } from '../slot-id.js';
import { authFailure } from './errors.js';
import { scanPath } from './scan.js';

/** node:crypto's SHA-256: native, several times faster than the pure-JS default on large pixel data. */
function nodeSha256(): IncrementalHash {
  const hash = createHash('sha256');
  return { update: (bytes) => hash.update(bytes), digestHex: () => hash.digest('hex') };
}

/**
 * `courier upload <path> --slot ID …`: scan, select, sanity checks, then the engine.
 *
 * @example
 * await uploadCommand(['/media/cd', '--slot', slotId, '--portal', url], io);
 */
export async function uploadCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    slot: { type: 'string' },
    portal: { type: 'string' },
    series: { type: 'string', multiple: true },
    'all-rt': { type: 'boolean' },
    acknowledge: { type: 'string', multiple: true },
    overwrite: { type: 'boolean' },
    concurrency: { type: 'string' },
    log: { type: 'string' },
    resume: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.out.write(HELP.upload);
    return EXIT.OK;
  }
  const path = required(positionals[0], '<path>');
  const resume = typeof values.resume === 'string' ? values.resume : undefined;
  const slot = resume === undefined ? parseSlotId(required(values.slot, '--slot')) : undefined;
  const concurrency = positiveInteger(values.concurrency, '--concurrency', 3);
  const client = await authenticatedClient(values.portal, io);
  const progress = createProgress(io.err, io.isTTY);

  const { result, sources } = await scanPath(path, io);
  const log = new UploadLog();
  logScan(log, result);
  const series = result.studies.flatMap((s) => s.series);
  const graph = buildRtGraph(series);
  const wanted = list(values.series);
  let chosen: Set<string>;
  if (wanted.length > 0) {
    try {
      chosen = selectedSeries(graph, selectAll(graph, emptySelection(), wanted));
    } catch (error) {
      throw new CliError(EXIT.USAGE, (error as Error).message);
    }
  } else if (result.studies.length === 1 || values['all-rt'] === true) {
    if (result.studies.length !== 1)
      throw new CliError(EXIT.USAGE, `${path} holds ${result.studies.length} studies: choose with --series`);
    chosen = new Set(series.map((s) => s.seriesInstanceUID));
  } else {
    throw new CliError(
      EXIT.USAGE,
      result.studies.length === 0
        ? `no DICOM instance found in ${path}`
        : `${path} holds ${result.studies.length} studies: choose with --series`,
    );
  }
  const selected = series.filter((s) => chosen.has(s.seriesInstanceUID));
  progress.line(`Selected ${selected.length} series, ${selected.reduce((n, s) => n + s.instances.length, 0)} files`);

  const session: UploadSession = await client
    .call(
      resume === undefined ? createUpload : getUpload,
      resume === undefined ? { body: slot! } : { params: { uploadId: resume } },
    )
    .catch(authFailure);
  const { config } = deidConfigOfSlot(session.slot);
  const findings = runSanityChecks({
    series: selected,
    graph,
    subject: {
      sex: session.slot.sex,
      ...(session.slot.birthDate === null
        ? { birthYear: session.slot.birthYear }
        : { birthDate: session.slot.birthDate }),
    },
    slot: { expectedModalities: session.slot.expectedModalities },
    deidProblems: checkConfig(config),
  });
  const acknowledgements = acknowledge(findings, list(values.acknowledge));
  const gate = uploadGate(findings, acknowledgements);
  log.add('sanity', { findings: sanityAuditEntries(findings, acknowledgements) });
  for (const f of findings)
    progress.line(
      `  ${f.severity} ${f.code}: ${f.message}${f.severity === 'warning' && !gate.unacknowledged.includes(f) ? ' (acknowledged)' : ''}`,
    );
  if (gate.blocked) {
    progress.line(
      `Upload blocked: ${gate.errors.length} error(s), ${gate.unacknowledged.length} unacknowledged warning(s)` +
        (gate.unacknowledged.length > 0
          ? ` — acknowledge with ${gate.unacknowledged.map((w) => `--acknowledge ${w.code}`).join(' ')}`
          : ''),
    );
    return EXIT.BLOCKED;
  }

  const items = await uploadItems(result, sources, chosen);
  const outcome = await runUpload({
    client,
    uploadId: session.id,
    items,
    overwrite: values.overwrite === true,
    concurrency,
    createHash: nodeSha256,
    log,
    onEvent: (e) => progress.on(e),
    ...(io.ask === undefined ? {} : { onLoginRequired: () => relogin(client, io) }),
  });
  const logPath = typeof values.log === 'string' ? values.log : `courier-upload-${outcome.uploadId ?? 'failed'}.log`;
  await writeFile(logPath, log.toJsonLines(), { mode: 0o600 });
  if (values.json) {
    const { log: _log, ...rest } = outcome;
    io.out.write(`${JSON.stringify({ ...rest, logFile: logPath }, null, 2)}\n`);
  } else if (outcome.ok) {
    io.out.write(
      `Verified and assigned: ${outcome.counts.verify} instance(s), study ${outcome.studyInstanceUid}, upload ${outcome.uploadId}; log ${logPath}\n`,
    );
  } else {
    io.out.write(`Upload failed: ${outcome.fatal ?? 'see the errors'}\n`);
    io.out.write('file\tstep\treason\n');
    for (const row of outcome.errors)
      io.out.write(`${row.path ?? (row.index === null ? '-' : `#${row.index}`)}\t${row.step}\t${row.reason}\n`);
    io.out.write(`Resume with: courier upload ${path} --resume ${outcome.uploadId}\nLog: ${logPath}\n`);
  }
  if (outcome.ok) return EXIT.OK;
  return /login required/.test(outcome.fatal ?? '') ? EXIT.AUTH : EXIT.FAILED;
}

function acknowledge(findings: readonly SanityCheckResult[], wanted: readonly string[]): Acknowledgement[] {
  const at = new Date().toISOString();
  const out: Acknowledgement[] = [];
  for (const w of wanted) {
    const matches = findings.filter((f) => f.severity === 'warning' && (f.code === w || f.id === w));
    if (matches.length === 0) throw new CliError(EXIT.USAGE, `--acknowledge ${w}: no such warning`);
    for (const m of matches) out.push({ resultId: m.id, acknowledgedAt: at, acknowledgedBy: 'courier CLI' });
  }
  return out;
}

/** The scan summary for the log: counts and reason codes, never a path (paths may carry names). */
function logScan(log: UploadLog, result: ScanResult): void {
  const reasons: Record<string, number> = {};
  for (const i of result.ignored) reasons[i.reason] = (reasons[i.reason] ?? 0) + 1;
  log.add('scan', {
    studies: result.studies.length,
    series: result.studies.reduce((n, s) => n + s.series.length, 0),
    instances: result.instances.length,
    ignored: result.ignored.length,
    ignoredReasons: reasons,
    sameFileSkipped: result.sameFileSkipped,
    archives: result.archives.length,
  });
}

async function uploadItems(
  result: ScanResult,
  sources: readonly FileSource[],
  chosen: ReadonlySet<string>,
): Promise<UploadItem[]> {
  const byPath = new Map(sources.map((s) => [s.path, s]));
  for (const archive of result.archives) {
    const source = byPath.get(archive);
    if (source !== undefined) for (const member of await zipMemberSources(source)) byPath.set(member.path, member);
  }
  return result.instances
    .filter((r) => chosen.has(r.seriesInstanceUID))
    .map((record) => {
      const source = byPath.get(record.path);
      if (source === undefined) throw new CliError(EXIT.FAILED, `internal: no file for ${record.path}`);
      return { record, source };
    });
}

/** Asks for the user's name and password on the terminal, creates a new token and resumes. */
async function relogin(client: PortalClient, io: CliIo): Promise<void> {
  const ask = io.ask!;
  const username = await ask('Session ended. User name: ');
  const password = await ask('Password: ', { secret: true });
  const session = new PortalClient({ baseUrl: client.baseUrl, auth: { kind: 'cookies', jar: new Map() } });
  const me = await session.call(login, { body: { username, password } }).catch(authFailure);
  if (session.auth.kind === 'cookies') session.auth.csrfToken = me.csrfToken ?? undefined;
  const created = await session.call(createApiToken, { body: { name: `courier CLI on ${hostname()}` } });
  client.auth = { kind: 'token', token: created.token };
}
