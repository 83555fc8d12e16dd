import { type DataSet, type DicomFile, getSequence, getString } from '@courier/dicom';
import type { InstanceReference, ReferenceKind } from './rt-graph.js';

// Tags of the reference sequences (PS3.6); named here once, cited at their use.
const REFERENCED_SOP_CLASS_UID = 0x00081150;
const REFERENCED_SOP_INSTANCE_UID = 0x00081155;
const REFERENCED_SERIES_SEQUENCE = 0x00081115;
const REFERENCED_INSTANCE_SEQUENCE = 0x0008114a;
const REFERENCED_IMAGE_SEQUENCE = 0x00081140;
const STUDIES_CONTAINING_OTHER_REFERENCED_INSTANCES = 0x00081200;
const STUDY_INSTANCE_UID = 0x0020000d;
const SERIES_INSTANCE_UID = 0x0020000e;
const REFERENCED_FRAME_OF_REFERENCE_SEQUENCE = 0x30060010;
const RT_REFERENCED_STUDY_SEQUENCE = 0x30060012;
const RT_REFERENCED_SERIES_SEQUENCE = 0x30060014;
const CONTOUR_IMAGE_SEQUENCE = 0x30060016;
const ROI_CONTOUR_SEQUENCE = 0x30060039;
const CONTOUR_SEQUENCE = 0x30060040;
const REFERENCED_RT_PLAN_SEQUENCE = 0x300c0002;
const REFERENCED_STRUCTURE_SET_SEQUENCE = 0x300c0060;
const REGISTRATION_SEQUENCE = 0x00700308;
const DEFORMABLE_REGISTRATION_SEQUENCE = 0x00640002;

/** SOP class UID roots (PS3.4 B.5) that decide which references an object carries. */
const RT = '1.2.840.10008.5.1.4.1.1.481.';
const RT_IMAGE = `${RT}1`;
const RT_DOSE = `${RT}2`;
const RT_STRUCTURE_SET = `${RT}3`;
const RT_PLAN = `${RT}5`;
const RT_ION_PLAN = `${RT}8`;
const RT_RECORDS: ReadonlySet<string> = new Set([`${RT}4`, `${RT}6`, `${RT}7`, `${RT}9`]);
const REGISTRATIONS: ReadonlySet<string> = new Set(['1.2.840.10008.5.1.4.1.1.66.1', '1.2.840.10008.5.1.4.1.1.66.3']);
const SEGMENTATIONS: ReadonlySet<string> = new Set(['1.2.840.10008.5.1.4.1.1.66.4', '1.2.840.10008.5.1.4.1.1.66.7']);

/**
 * The references of one instance that the RT graph follows, chosen by its SOP class:
 * RTSTRUCT → images, RTPLAN / RT Ion Plan → structure set (and plan), RTDOSE → plan and structure
 * set, RTIMAGE and treatment records → plan, REG / SEG → image series. Duplicates are removed.
 *
 * @example
 * extractReferences(file, '1.2.840.10008.5.1.4.1.1.481.2'); // [{ kind: 'dose-plan', sopInstanceUID: '…' }]
 */
export function extractReferences(file: DicomFile, sopClassUID: string): InstanceReference[] {
  const ds = file.dataSet;
  const out: InstanceReference[] = [];
  if (sopClassUID === RT_STRUCTURE_SET) structureSetReferences(file, ds, out);
  else if (sopClassUID === RT_PLAN || sopClassUID === RT_ION_PLAN) {
    // RT General Plan Module, PS3.3 C.8.8.9: Referenced Structure Set Sequence and Referenced RT Plan Sequence.
    instanceRefs(file, getSequence(ds, REFERENCED_STRUCTURE_SET_SEQUENCE), 'plan-structure-set', out);
    instanceRefs(file, getSequence(ds, REFERENCED_RT_PLAN_SEQUENCE), 'plan-plan', out);
  } else if (sopClassUID === RT_DOSE) {
    // RT Dose Module, PS3.3 C.8.8.3.
    instanceRefs(file, getSequence(ds, REFERENCED_RT_PLAN_SEQUENCE), 'dose-plan', out);
    instanceRefs(file, getSequence(ds, REFERENCED_STRUCTURE_SET_SEQUENCE), 'dose-structure-set', out);
  } else if (sopClassUID === RT_IMAGE) {
    // RT Image Module, PS3.3 C.8.8.2.
    instanceRefs(file, getSequence(ds, REFERENCED_RT_PLAN_SEQUENCE), 'image-plan', out);
  } else if (RT_RECORDS.has(sopClassUID)) {
    // RT General Treatment Record Module, PS3.3 C.8.8.21.
    instanceRefs(file, getSequence(ds, REFERENCED_RT_PLAN_SEQUENCE), 'record-plan', out);
  } else if (REGISTRATIONS.has(sopClassUID)) {
    // Spatial / Deformable Registration (PS3.3 C.20.2, C.20.3) and Common Instance Reference (C.12.2).
    seriesRefs(file, ds, 'registration-image', out);
    for (const item of [
      ...getSequence(ds, REGISTRATION_SEQUENCE),
      ...getSequence(ds, DEFORMABLE_REGISTRATION_SEQUENCE),
    ]) {
      instanceRefs(file, getSequence(item, REFERENCED_IMAGE_SEQUENCE), 'registration-image', out);
    }
  } else if (SEGMENTATIONS.has(sopClassUID)) {
    // Segmentation: Common Instance Reference Module (PS3.3 C.12.2).
    seriesRefs(file, ds, 'segmentation-image', out);
  }
  return dedupe(out);
}

/**
 * Structure Set Module, PS3.3 C.8.8.5: Referenced Frame of Reference Sequence → RT Referenced Study
 * → RT Referenced Series → Contour Image Sequence; and ROI Contour Module C.8.8.6: each contour's
 * Contour Image Sequence (the only image references left in newer objects, where C.8.8.5's are
 * retired).
 */
function structureSetReferences(file: DicomFile, ds: DataSet, out: InstanceReference[]): void {
  const seriesOfInstance = new Map<string, string>();
  for (const frame of getSequence(ds, REFERENCED_FRAME_OF_REFERENCE_SEQUENCE)) {
    for (const study of getSequence(frame, RT_REFERENCED_STUDY_SEQUENCE)) {
      const studyUID = uid(file, study, REFERENCED_SOP_INSTANCE_UID);
      for (const series of getSequence(study, RT_REFERENCED_SERIES_SEQUENCE)) {
        const seriesUID = uid(file, series, SERIES_INSTANCE_UID);
        const images = getSequence(series, CONTOUR_IMAGE_SEQUENCE);
        if (images.length === 0 && seriesUID !== undefined) {
          out.push(ref('structure-set-image', { studyInstanceUID: studyUID, seriesInstanceUID: seriesUID }));
        }
        for (const image of images) {
          const sopInstanceUID = uid(file, image, REFERENCED_SOP_INSTANCE_UID);
          if (sopInstanceUID !== undefined && seriesUID !== undefined) seriesOfInstance.set(sopInstanceUID, seriesUID);
          out.push(
            ref('structure-set-image', {
              studyInstanceUID: studyUID,
              seriesInstanceUID: seriesUID,
              sopClassUID: uid(file, image, REFERENCED_SOP_CLASS_UID),
              sopInstanceUID,
            }),
          );
        }
      }
    }
  }
  for (const roi of getSequence(ds, ROI_CONTOUR_SEQUENCE)) {
    for (const contour of getSequence(roi, CONTOUR_SEQUENCE)) {
      for (const image of getSequence(contour, CONTOUR_IMAGE_SEQUENCE)) {
        const sopInstanceUID = uid(file, image, REFERENCED_SOP_INSTANCE_UID);
        if (sopInstanceUID === undefined) continue;
        out.push(
          ref('structure-set-image', {
            seriesInstanceUID: seriesOfInstance.get(sopInstanceUID),
            sopClassUID: uid(file, image, REFERENCED_SOP_CLASS_UID),
            sopInstanceUID,
          }),
        );
      }
    }
  }
}

/** Referenced Series Sequence (0008,1115), here and per study in (0008,1200) (PS3.3 C.12.2). */
function seriesRefs(file: DicomFile, ds: DataSet, kind: ReferenceKind, out: InstanceReference[]): void {
  const visit = (container: DataSet, studyInstanceUID: string | undefined): void => {
    for (const series of getSequence(container, REFERENCED_SERIES_SEQUENCE)) {
      const seriesInstanceUID = uid(file, series, SERIES_INSTANCE_UID);
      const instances = getSequence(series, REFERENCED_INSTANCE_SEQUENCE);
      if (instances.length === 0 && seriesInstanceUID !== undefined) {
        out.push(ref(kind, { studyInstanceUID, seriesInstanceUID }));
      }
      for (const instance of instances) {
        out.push(
          ref(kind, {
            studyInstanceUID,
            seriesInstanceUID,
            sopClassUID: uid(file, instance, REFERENCED_SOP_CLASS_UID),
            sopInstanceUID: uid(file, instance, REFERENCED_SOP_INSTANCE_UID),
          }),
        );
      }
    }
  };
  visit(ds, uid(file, ds, STUDY_INSTANCE_UID));
  for (const study of getSequence(ds, STUDIES_CONTAINING_OTHER_REFERENCED_INSTANCES)) {
    visit(study, uid(file, study, STUDY_INSTANCE_UID));
  }
}

/** Items holding Referenced SOP Class / Instance UID (the SOP Instance Reference Macro, PS3.3 Table 10-11). */
function instanceRefs(file: DicomFile, items: readonly DataSet[], kind: ReferenceKind, out: InstanceReference[]): void {
  for (const item of items) {
    const sopInstanceUID = uid(file, item, REFERENCED_SOP_INSTANCE_UID);
    if (sopInstanceUID === undefined) continue;
    out.push(ref(kind, { sopClassUID: uid(file, item, REFERENCED_SOP_CLASS_UID), sopInstanceUID }));
  }
}

function ref(
  kind: ReferenceKind,
  fields: {
    studyInstanceUID?: string | undefined;
    seriesInstanceUID?: string | undefined;
    sopClassUID?: string | undefined;
    sopInstanceUID?: string | undefined;
  },
): InstanceReference {
  const out: { -readonly [K in keyof InstanceReference]: InstanceReference[K] } = { kind };
  if (fields.studyInstanceUID !== undefined) out.studyInstanceUID = fields.studyInstanceUID;
  if (fields.seriesInstanceUID !== undefined) out.seriesInstanceUID = fields.seriesInstanceUID;
  if (fields.sopClassUID !== undefined) out.sopClassUID = fields.sopClassUID;
  if (fields.sopInstanceUID !== undefined) out.sopInstanceUID = fields.sopInstanceUID;
  return out;
}

function uid(file: DicomFile, ds: DataSet, t: number): string | undefined {
  const value = getString(file, ds, t)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function dedupe(refs: InstanceReference[]): InstanceReference[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    // The first mention of an instance is the most complete (it names the series too).
    const key =
      r.sopInstanceUID !== undefined ? `${r.kind}|i|${r.sopInstanceUID}` : `${r.kind}|s|${r.seriesInstanceUID}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
