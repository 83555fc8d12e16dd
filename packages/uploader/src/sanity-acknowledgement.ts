import { UploaderError } from './errors.js';
import type { SanityCategory, SanityCheckCode, SanityCheckResult, Severity } from './sanity-checks.js';

/**
 * The user's conscious decision to upload despite a warning. Keyed by the result's `id`, so it
 * lapses by itself when the selection changes (the series concerned, hence the id, change).
 *
 * @example
 * const ack: Acknowledgement = { resultId: 'SANITY_MULTIPLE_STUDY_DATES:1.2,1.3', acknowledgedAt: '2026-03-02T10:00:00Z', acknowledgedBy: 'site-user-7' };
 */
export interface Acknowledgement {
  readonly resultId: string;
  /** ISO 8601 date-time. */
  readonly acknowledgedAt: string;
  readonly acknowledgedBy?: string;
  readonly comment?: string;
}

/**
 * Whether "Upload" is available, and why not.
 *
 * @example
 * uploadGate(results, acks).unacknowledged.length; // warnings still to look at
 */
export interface UploadGate {
  readonly blocked: boolean;
  readonly errors: readonly SanityCheckResult[];
  readonly unacknowledged: readonly SanityCheckResult[];
  readonly acknowledged: readonly { readonly result: SanityCheckResult; readonly acknowledgement: Acknowledgement }[];
}

/**
 * One line of the upload's log and audit record about a finding. It carries no attribute values and
 * no UIDs (those may identify the patient), only what was found and what the user decided.
 *
 * @example
 * { code: 'SANITY_MULTIPLE_STUDY_DATES', category: 'study', severity: 'warning', seriesCount: 2, message: '…', acknowledgedBy: 'user-7' }
 */
export interface SanityAuditEntry {
  readonly code: SanityCheckCode;
  readonly category: SanityCategory;
  readonly severity: Severity;
  readonly seriesCount: number;
  readonly message: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  readonly comment?: string;
}

/**
 * Records the acknowledgement of a warning; refuses errors (they block the upload) and infos
 * (nothing to acknowledge) with UPLOADER_CANNOT_ACKNOWLEDGE. Replaces an older acknowledgement of
 * the same result.
 *
 * @example
 * acks = acknowledgeWarning(acks, warning, { acknowledgedAt: new Date().toISOString(), acknowledgedBy: user });
 */
export function acknowledgeWarning(
  acknowledgements: readonly Acknowledgement[],
  result: SanityCheckResult,
  by: Omit<Acknowledgement, 'resultId'>,
): Acknowledgement[] {
  if (result.severity !== 'warning') {
    throw new UploaderError(
      'UPLOADER_CANNOT_ACKNOWLEDGE',
      `${result.code} is ${result.severity === 'error' ? 'an error' : 'an info'}`,
    );
  }
  return [...acknowledgements.filter((a) => a.resultId !== result.id), { ...by, resultId: result.id }];
}

/**
 * Decides whether the upload may start: blocked by any error and by any warning without an
 * acknowledgement. Acknowledgements of results no longer present are ignored.
 *
 * @example
 * const gate = uploadGate(results, acks);
 * button.label = gate.blocked ? 'Issues' : 'Upload';
 */
export function uploadGate(
  results: readonly SanityCheckResult[],
  acknowledgements: readonly Acknowledgement[],
): UploadGate {
  const byId = new Map(acknowledgements.map((a) => [a.resultId, a]));
  const errors = results.filter((r) => r.severity === 'error');
  const warnings = results.filter((r) => r.severity === 'warning');
  const unacknowledged = warnings.filter((r) => !byId.has(r.id));
  const acknowledged = warnings.flatMap((r) => {
    const acknowledgement = byId.get(r.id);
    return acknowledgement === undefined ? [] : [{ result: r, acknowledgement }];
  });
  return { blocked: errors.length > 0 || unacknowledged.length > 0, errors, unacknowledged, acknowledged };
}

/**
 * The findings as log / audit entries, without values or UIDs.
 *
 * @example
 * uploadLog.sanity = sanityAuditEntries(results, acks);
 */
export function sanityAuditEntries(
  results: readonly SanityCheckResult[],
  acknowledgements: readonly Acknowledgement[],
): SanityAuditEntry[] {
  const byId = new Map(acknowledgements.map((a) => [a.resultId, a]));
  return results.map((r) => {
    const ack = r.severity === 'warning' ? byId.get(r.id) : undefined;
    return {
      code: r.code,
      category: r.category,
      severity: r.severity,
      seriesCount: r.series.length,
      message: r.message,
      ...(ack === undefined ? {} : { acknowledgedAt: ack.acknowledgedAt }),
      ...(ack?.acknowledgedBy === undefined ? {} : { acknowledgedBy: ack.acknowledgedBy }),
      ...(ack?.comment === undefined ? {} : { comment: ack.comment }),
    };
  });
}
