/**
 * One line of the upload log. Only values that cannot identify the patient: counts, sizes, codes,
 * timings, file indexes (position in the sorted drop) and UIDs *after* de-identification. Never an
 * original path, file name, UID, name, ID or date: paths of a drop often carry the patient's name.
 *
 * @example
 * const entry: UploadLogEntry = { at: '2026-11-25T13:00:00.000Z', event: 'batch', batch: 3, instances: 50, ms: 812 };
 */
export interface UploadLogEntry {
  readonly at: string;
  readonly event: string;
  readonly [key: string]: unknown;
}

/**
 * The structured log of one upload run (issue 7): configuration and versions, scan summary,
 * ignored files by index and reason, sanity findings and acknowledgements, every batch with
 * timing and result, retries, logins, errors and the verification. The browser offers it as a
 * download ("Log file"); the CLI writes it next to the run. JSON Lines, one entry per line.
 *
 * @example
 * const log = new UploadLog();
 * log.add('config', { concurrency: 3 });
 * await writeFile('courier-upload.log', log.toJsonLines());
 */
export class UploadLog {
  readonly entries: UploadLogEntry[] = [];
  readonly #clock: () => Date;

  constructor(clock: () => Date = () => new Date()) {
    this.#clock = clock;
  }

  /** Appends an entry; `fields` must hold no patient-identifying value (see UploadLogEntry). */
  add(event: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ at: this.#clock().toISOString(), event, ...fields });
  }

  /** The log as JSON Lines (RFC 8259 values, one per line, newline-terminated). */
  toJsonLines(): string {
    return this.entries.map((e) => `${JSON.stringify(e)}\n`).join('');
  }
}
