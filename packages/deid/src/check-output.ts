import type { DataSet, DataSetEdit, DicomFile, NewElement } from '@courier/dicom';
import { formatTag } from '@courier/dicom';
import type { DeidConfig } from './config.js';
import { IDENTITY_TAGS } from './identity.js';
import { planDeidentification } from './plan-deidentification.js';
import { rawText } from './text-value.js';

/**
 * Something in a received instance that de-identification with the study's options would still
 * change: identifying data left in, or a pseudonym other than the slot's.
 *
 * @example
 * const v: ResidualIdentity = { path: '(0010,1000)', reason: 'would be removed' };
 */
export interface ResidualIdentity {
  readonly path: string;
  readonly reason: string;
}

const SKIPPED: ReadonlySet<number> = new Set([
  IDENTITY_TAGS.patientName,
  IDENTITY_TAGS.patientId,
  IDENTITY_TAGS.patientIdentityRemoved,
  IDENTITY_TAGS.deidentificationMethod,
  IDENTITY_TAGS.deidentificationMethodCodeSequence,
  IDENTITY_TAGS.longitudinalTemporalInformationModified,
]);

/** The secret is irrelevant here: UIDs are not checked (they cannot be told from remapped ones). */
const ANY_SECRET = 'residual-identity-check-only';

function sameValue(file: DicomFile, ds: DataSet, e: NewElement): boolean {
  const el = ds.elements.get(e.tag);
  if (el === undefined) return false;
  if (e.vr === 'SQ') return Array.isArray(e.value) && e.value.length === 0 && (el.items?.length ?? 0) === 0;
  if (typeof e.value === 'string') return rawText(file, el) === e.value.replace(/[\0 ]+$/, '');
  if (e.value instanceof Uint8Array) return el.length === e.value.length;
  return true; // a numeric dummy: numbers identify no one
}

interface DiffContext {
  readonly file: DicomFile;
  /** Modified Dates: shifted DA/DT values cannot be told from original ones, like UIDs. */
  readonly shiftedDates: boolean;
  readonly out: ResidualIdentity[];
}

function diff(ctx: DiffContext, ds: DataSet, edit: DataSetEdit, prefix: string, top: boolean): void {
  const { file, out } = ctx;
  for (const t of edit.remove ?? []) {
    if (ds.elements.has(t)) out.push({ path: `${prefix}${formatTag(t)}`, reason: 'would be removed' });
  }
  for (const e of edit.set ?? []) {
    if (e.vr === 'UI' || (top && SKIPPED.has(e.tag)) || (top && e.tag >>> 16 === 0x0012)) continue;
    if (ctx.shiftedDates && (e.vr === 'DA' || e.vr === 'DT')) continue;
    if (!sameValue(file, ds, e)) out.push({ path: `${prefix}${formatTag(e.tag)}`, reason: 'would be replaced' });
  }
  for (const [seq, items] of edit.items ?? []) {
    const el = ds.elements.get(seq);
    for (const [i, itemEdit] of items) {
      const item = el?.items?.[i];
      if (item !== undefined) diff(ctx, item, itemEdit, `${prefix}${formatTag(seq)}[${i}]/`, false);
    }
  }
}

/**
 * Re-checks an instance that should already be de-identified (the Portal does this for every
 * received file): plans de-identification again with the study's options and reports every
 * element the plan would still remove or replace, plus a pseudonym other than the slot's and a
 * missing Patient Identity Removed YES. UIDs are not judged (a remapped UID looks like any other),
 * nor are dates under Modified Dates (a shifted date looks like any other); group lengths are ignored. An empty result means nothing identifying is left that the options
 * would have removed.
 *
 * @example
 * const problems = residualIdentity(readDicom(body), { options, patientId: slot.pseudonym, patientName: slot.pid, uidSecret: '' });
 * if (problems.length > 0) reply.code(422).send({ problems });
 */
export function residualIdentity(file: DicomFile, config: DeidConfig): ResidualIdentity[] {
  const out: ResidualIdentity[] = [];
  const top = file.dataSet.elements;
  const text = (t: number): string | undefined => {
    const el = top.get(t);
    return el === undefined ? undefined : rawText(file, el);
  };
  if (text(IDENTITY_TAGS.patientId) !== config.patientId) {
    out.push({ path: formatTag(IDENTITY_TAGS.patientId), reason: 'is not the slot pseudonym' });
  }
  if (text(IDENTITY_TAGS.patientName) !== config.patientName) {
    out.push({ path: formatTag(IDENTITY_TAGS.patientName), reason: 'is not the slot pseudonym' });
  }
  if (text(IDENTITY_TAGS.patientIdentityRemoved) !== 'YES') {
    out.push({ path: formatTag(IDENTITY_TAGS.patientIdentityRemoved), reason: 'is not YES' });
  }
  const { edit, metaEdit } = planDeidentification(file, { ...config, uidSecret: ANY_SECRET });
  const groupLength = (t: number) => (t & 0xffff) === 0;
  const ctx: DiffContext = { file, shiftedDates: config.options.includes('retainLongitudinalModifiedDates'), out };
  diff(ctx, file.dataSet, { ...edit, remove: (edit.remove ?? []).filter((t) => !groupLength(t)) }, '', true);
  for (const t of metaEdit.remove ?? []) out.push({ path: formatTag(t), reason: 'would be removed' });
  return out;
}
