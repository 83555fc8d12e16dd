import type { IgnoredFile } from './ignored-reasons.js';
import { buildRtGraph, type MissingNode } from './rt-graph.js';
import { buildRtTree, type RtTreeNode } from './rt-tree.js';
import { runSanityChecks, type SanityCheckResult, type SlotExpectations, type SubjectFacts } from './sanity-checks.js';
import type { ScanResult } from './scan.js';
import { type SeriesDetails, seriesDetails } from './series-details.js';

/**
 * Everything a scan found, as one JSON-ready document: what `courier scan --json` prints and what a
 * UI can render without the scanner's types. Shape (version 1):
 * `{ version, studies: [{ studyInstanceUID, instanceCount, totalSize, series: SeriesDetails[] }],
 *    ignored: IgnoredFile[], sameFileSkipped, archives, rtTree: RtTreeNode[], missing: MissingNode[],
 *    checks?: SanityCheckResult[] }`.
 *
 * @example
 * const report = buildScanReport(await scanFiles(sources), { subject: { sex: 'F' } });
 * JSON.stringify(report);
 */
export interface ScanReport {
  readonly version: 1;
  readonly studies: readonly StudyReport[];
  readonly ignored: readonly IgnoredFile[];
  readonly sameFileSkipped: number;
  readonly archives: readonly string[];
  /** The "RT Series" tree over every series of the drop. */
  readonly rtTree: readonly RtTreeNode[];
  /** Referenced objects absent from the drop. */
  readonly missing: readonly MissingNode[];
  /** Sanity checks of all series together, when a subject or slot was given. */
  readonly checks?: readonly SanityCheckResult[];
}

/**
 * One study of the report.
 *
 * @example
 * report.studies[0]?.series.map((s) => s.modality); // ['CT', 'RTSTRUCT', 'RTPLAN']
 */
export interface StudyReport {
  readonly studyInstanceUID: string;
  readonly instanceCount: number;
  readonly totalSize: number;
  readonly series: readonly SeriesDetails[];
}

/**
 * Builds the report of a scan. With `subject` or `slot`, runs the sanity checks as if every series
 * were selected.
 *
 * @example
 * buildScanReport(result, { subject: { sex: 'M', birthDate: '1950-02-01' } }).checks?.length;
 */
export function buildScanReport(
  result: ScanResult,
  options: { readonly subject?: SubjectFacts; readonly slot?: SlotExpectations } = {},
): ScanReport {
  const series = result.studies.flatMap((s) => s.series);
  const graph = buildRtGraph(series);
  const checks =
    options.subject === undefined && options.slot === undefined
      ? undefined
      : runSanityChecks({
          series,
          graph,
          subject: options.subject ?? {},
          ...(options.slot === undefined ? {} : { slot: options.slot }),
        });
  return {
    version: 1,
    studies: result.studies.map((s) => ({
      studyInstanceUID: s.studyInstanceUID,
      instanceCount: s.instanceCount,
      totalSize: s.totalSize,
      series: s.series.map(seriesDetails),
    })),
    ignored: result.ignored,
    sameFileSkipped: result.sameFileSkipped,
    archives: result.archives,
    rtTree: buildRtTree(graph),
    missing: [...graph.missing.values()],
    ...(checks === undefined ? {} : { checks }),
  };
}

/**
 * The report as text for a terminal: studies and series, the RT tree, missing references, ignored
 * files with reasons, and check results.
 *
 * @example
 * console.log(formatScanReport(buildScanReport(result)));
 */
export function formatScanReport(report: ScanReport): string {
  const out: string[] = [];
  const label = new Map<string, string>();
  for (const study of report.studies) {
    out.push(
      `Study ${study.studyInstanceUID}: ${study.series.length} series, ${study.instanceCount} files, ${size(study.totalSize)}`,
    );
    for (const s of study.series) {
      const name = [s.modality, s.seriesNumber === undefined ? '' : `#${s.seriesNumber}`, s.description ?? '']
        .filter(Boolean)
        .join(' ');
      label.set(s.seriesInstanceUID, name);
      const rt = s.rt === undefined ? '' : `  ${rtSummary(s)}`;
      const warnings = s.readerWarnings.length === 0 ? '' : `  (reader warnings: ${s.readerWarnings.join(', ')})`;
      out.push(
        `  ${name}: ${files(s.instanceCount)}, ${size(s.totalSize)}, ${s.sopClassNames.join(', ')}${rt}${warnings}`,
      );
    }
  }
  if (report.rtTree.some((n) => n.children.length > 0 || n.status === 'missing')) {
    out.push('', 'RT series');
    const walk = (n: RtTreeNode, depth: number): void => {
      const name =
        n.status === 'missing' ? `${n.modality} (missing: not in the files)` : (label.get(n.id) ?? n.modality);
      out.push(`${'  '.repeat(depth + 1)}${name}${n.repeated ? ' (again)' : ''}`);
      for (const c of n.children) walk(c, depth + 1);
    };
    // Lone image series without RT objects are in the study list already.
    for (const root of report.rtTree) if (root.children.length > 0 || root.status === 'missing') walk(root, 0);
  }
  if (report.missing.length > 0) {
    out.push('', `Missing referenced objects (${report.missing.length})`);
    for (const m of report.missing) {
      const by = m.referencedBy.map((id) => label.get(id) ?? id).join(', ');
      out.push(`  ${m.expectedModality} ${m.seriesInstanceUID ?? m.sopInstanceUIDs[0] ?? ''}, referenced by ${by}`);
    }
  }
  if (report.ignored.length > 0) {
    out.push('', `Ignored files (${report.ignored.length})`);
    for (const i of report.ignored)
      out.push(`  ${i.path}: ${i.message}${i.detail === undefined ? '' : ` (${i.detail})`}`);
  }
  if (report.sameFileSkipped > 0) out.push('', `Identical copies counted once: ${report.sameFileSkipped}`);
  if (report.checks !== undefined) {
    out.push('', report.checks.length === 0 ? 'Checks: no findings' : `Checks (${report.checks.length})`);
    for (const c of report.checks) {
      const values =
        c.found.length === 0
          ? ''
          : ` [${c.expected === undefined ? '' : `expected ${c.expected}, `}found ${c.found.join(', ')}]`;
      out.push(`  ${c.severity.toUpperCase()} ${c.code}: ${c.message}${values}`);
    }
  }
  return out.join('\n');
}

function rtSummary(s: SeriesDetails): string {
  const rt = s.rt!;
  const parts: string[] = [];
  if (rt.label !== undefined) parts.push(`label ${rt.label}`);
  if (rt.roiCount !== undefined) parts.push(`${rt.roiCount} ROIs`);
  if (rt.numberOfBeams !== undefined) parts.push(`${rt.numberOfBeams} beams`);
  if (rt.numberOfFractionGroups !== undefined) parts.push(`${rt.numberOfFractionGroups} fraction groups`);
  if (rt.doseType !== undefined) parts.push(`dose ${rt.doseType}/${rt.doseSummationType ?? '?'}`);
  if (rt.approvalStatus !== undefined) parts.push(rt.approvalStatus);
  return `[${parts.join(', ')}]`;
}

function files(n: number): string {
  return n === 1 ? '1 file' : `${n} files`;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
