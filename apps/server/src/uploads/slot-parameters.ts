import { ApiError, type DeidConfig, type SlotParameters } from '@courier/api';
import type { Kysely } from 'kysely';
import type { ServerConfig } from '../config.js';
import type { Database } from '../database/schema.js';
import { toSlotValue } from '../edc/mappers.js';

/** Long String (LO) values hold at most 64 characters (PS3.5 6.2). */
const lo = (value: string) => value.slice(0, 64);

/** Instances per batch the server advertises (bounded by the body limit anyway). */
export const MAX_BATCH_INSTANCES = 500;
/** Instances per manifest. */
export const MAX_MANIFEST_INSTANCES = 100_000;

/**
 * Builds the parameters of one slot of a subject's scheduled event: the subject's pseudonym and
 * demographics, the study's de-identification configuration and UID secret, the Clinical Trial
 * attribute values and the slot's current value. NOT_FOUND when the pieces do not belong together.
 *
 * @example
 * const slot = await slotParameters(db, config, { studyId, subjectId, eventId, slotDefinitionId });
 */
export async function slotParameters(
  db: Kysely<Database>,
  config: ServerConfig,
  ids: { studyId: string; subjectId: string; eventId: string; slotDefinitionId: string },
): Promise<SlotParameters> {
  const row = await db
    .selectFrom('scheduledEvents as e')
    .innerJoin('subjects as s', 's.id', 'e.subjectId')
    .innerJoin('studies as st', 'st.id', 's.studyId')
    .innerJoin('sites as si', 'si.id', 's.siteId')
    .innerJoin('eventDefinitions as d', 'd.id', 'e.eventDefinitionId')
    .innerJoin('slotDefinitions as sl', 'sl.eventDefinitionId', 'd.id')
    .leftJoin('slotValues as v', (join) =>
      join.onRef('v.scheduledEventId', '=', 'e.id').onRef('v.slotDefinitionId', '=', 'sl.id'),
    )
    .leftJoin('users as u', 'u.id', 'v.assignedBy')
    .select(['st.id as studyId', 'st.identifier', 'st.name as studyName', 'st.sponsor', 'st.protocolId'])
    .select(['st.deidJson', 'st.dateHandling', 'st.uidSecret'])
    .select(['si.id as siteId', 'si.code as siteCode', 'si.name as siteName'])
    .select(['s.id as subjectId', 's.label', 's.pseudonym', 's.sex', 's.birthDate', 's.birthYear', 's.dateOffsetDays'])
    .select(['e.id as eventId', 'e.occurrence', 'd.name as eventName', 'd.repeating'])
    .select(['sl.id as slotDefinitionId', 'sl.label as slotLabel', 'sl.modalitiesJson'])
    .select(['v.studyInstanceUid', 'v.assignedAt', 'v.uploadId', 'u.username as assignedBy'])
    .select([
      'u.displayName',
      'v.studyDate',
      'v.modalitiesJson as valueModalitiesJson',
      'v.seriesCount',
      'v.instanceCount',
    ])
    .where('e.id', '=', ids.eventId)
    .where('s.id', '=', ids.subjectId)
    .where('st.id', '=', ids.studyId)
    .where('sl.id', '=', ids.slotDefinitionId)
    .executeTakeFirst();
  if (row === undefined) throw new ApiError('NOT_FOUND', 'no such slot for this subject’s event in this study');
  const timePoint = row.repeating === 1 ? `${row.eventName} ${row.occurrence}` : row.eventName;
  return {
    studyId: row.studyId,
    studyIdentifier: row.identifier,
    siteId: row.siteId,
    subjectId: row.subjectId,
    subjectLabel: row.label,
    pseudonym: row.pseudonym,
    sex: row.sex,
    birthDate: row.birthDate,
    birthYear: row.birthYear,
    eventId: row.eventId,
    eventName: row.eventName,
    eventOccurrence: row.occurrence,
    slotDefinitionId: row.slotDefinitionId,
    slotLabel: row.slotLabel,
    expectedModalities: JSON.parse(row.modalitiesJson) as string[],
    deid: JSON.parse(row.deidJson) as DeidConfig,
    dateHandling: row.dateHandling,
    dateOffsetDays: row.dateHandling === 'shift' ? row.dateOffsetDays : null,
    uidSecret: row.uidSecret,
    // PS3.3 C.7.1.3 Clinical Trial Subject, C.7.2.3 Clinical Trial Study (time point) modules.
    clinicalTrial: {
      ClinicalTrialSponsorName: lo(row.sponsor),
      ClinicalTrialProtocolID: lo(row.protocolId),
      ClinicalTrialProtocolName: lo(row.studyName),
      ClinicalTrialSiteID: lo(row.siteCode),
      ClinicalTrialSiteName: lo(row.siteName),
      ClinicalTrialSubjectID: lo(row.label),
      ClinicalTrialTimePointID: lo(timePoint),
      ClinicalTrialTimePointDescription: lo(`${timePoint}: ${row.slotLabel}`),
    },
    currentValue: toSlotValue(row),
    limits: {
      maxBatchBytes: config.maxBatchBytes,
      maxBatchInstances: MAX_BATCH_INSTANCES,
      maxManifestInstances: MAX_MANIFEST_INSTANCES,
    },
  };
}
