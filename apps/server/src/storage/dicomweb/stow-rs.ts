import type { InstanceKey } from '../dicom-store.js';
import { type DicomJsonDataset, jsonItems, jsonString } from './dicom-json.js';

/** The PACS's verdict on one instance of a STOW-RS request. */
export type StowOutcome =
  | { key: InstanceKey; stored: true }
  | { key: InstanceKey; stored: false; reason: string; uidMismatch?: boolean };

/** PS3.18 Table 10.5.3-2 and PS3.4 C.4.2.1.4: the Failure Reason (0008,1197) values a STOW-RS server uses. */
const FAILURE_REASONS: Record<number, string> = {
  272: 'processing failure',
  290: 'SOP Class not supported',
  292: 'not authorized',
  42752: 'out of resources',
  43264: 'data set does not match SOP Class',
  49152: 'cannot understand',
  49442: 'referenced Transfer Syntax not supported',
};

/** The study/series/instance UIDs named in a Retrieve URL (0008,1190) of a referenced instance. */
function uidsOfRetrieveUrl(url: string | undefined): Partial<InstanceKey> {
  const match = url === undefined ? null : /\/studies\/([\d.]+)\/series\/([\d.]+)\/instances\/([\d.]+)\/?$/.exec(url);
  if (match === null) return {};
  return { studyInstanceUid: match[1], seriesInstanceUid: match[2], sopInstanceUid: match[3] };
}

/**
 * Judges every instance sent in one STOW-RS request from the answer's data set (PS3.18 10.5.3,
 * Table 10.5.3-1), never from the HTTP status alone: Orthanc answers 400 for a whole batch with one
 * unreadable part although it stored the others, and a 200 does not prove any one instance was kept.
 * An instance counts as stored only when Referenced SOP Sequence (0008,1199) names its SOP Instance
 * UID and, where the item carries a Retrieve URL, that URL names the study and series asked for.
 * Failed SOP Sequence (0008,1198) supplies the reason; an instance in neither is refused too
 * (an unreadable part has no UID the server could report).
 *
 * @example
 * const outcomes = judgeStowAnswer(keys, await response.json());
 * const refused = outcomes.filter((o) => !o.stored);
 */
export function judgeStowAnswer(keys: readonly InstanceKey[], answer: DicomJsonDataset | null): StowOutcome[] {
  const referenced = new Map<string, DicomJsonDataset>();
  const failed = new Map<string, DicomJsonDataset>();
  if (answer !== null) {
    for (const item of jsonItems(answer, '00081199')) {
      const uid = jsonString(item, '00081155');
      if (uid !== undefined) referenced.set(uid, item);
    }
    for (const item of jsonItems(answer, '00081198')) {
      const uid = jsonString(item, '00081155');
      if (uid !== undefined) failed.set(uid, item);
    }
  }
  return keys.map((key): StowOutcome => {
    const failure = failed.get(key.sopInstanceUid);
    if (failure !== undefined) {
      const code = Number(jsonString(failure, '00081197'));
      const reason = FAILURE_REASONS[code] ?? `failure reason ${Number.isNaN(code) ? 'not given' : code}`;
      return { key, stored: false, reason: `Failed SOP Sequence: ${reason}` };
    }
    const item = referenced.get(key.sopInstanceUid);
    if (item === undefined) {
      return { key, stored: false, reason: 'not in the Referenced SOP Sequence of the answer (unreadable part?)' };
    }
    const where = uidsOfRetrieveUrl(jsonString(item, '00081190'));
    if (
      (where.studyInstanceUid !== undefined && where.studyInstanceUid !== key.studyInstanceUid) ||
      (where.seriesInstanceUid !== undefined && where.seriesInstanceUid !== key.seriesInstanceUid)
    ) {
      return {
        key,
        stored: false,
        uidMismatch: true,
        reason: `stored under study ${where.studyInstanceUid} series ${where.seriesInstanceUid}`,
      };
    }
    return { key, stored: true };
  });
}
