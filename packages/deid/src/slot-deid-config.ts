import type { SlotParameters } from '@courier/api';
import type { DeidConfig } from './config.js';
import { type DeidOption, parseDeidOption } from './options.js';

const LONGITUDINAL: readonly DeidOption[] = ['retainLongitudinalFullDates', 'retainLongitudinalModifiedDates'];

/**
 * The de-identification configuration for a slot, from the Portal's slot parameters: the study's
 * PS3.15 options, the date handling as the longitudinal option (keep → Full Dates, shift →
 * Modified Dates with the subject's offset, remove → neither; PS3.15 E.3.6), the pseudonym as
 * Patient ID and Patient Name, the study's UID secret and the Clinical Trial attributes. Unknown
 * option names are returned in `unknownOptions` for the Evaluate step to show.
 *
 * @example
 * const { config, unknownOptions } = deidConfigOfSlot(session.slot);
 */
export function deidConfigOfSlot(slot: SlotParameters): { config: DeidConfig; unknownOptions: string[] } {
  const unknownOptions: string[] = [];
  const options = new Set<DeidOption>();
  for (const name of slot.deid.options) {
    const option = parseDeidOption(name);
    if (option === undefined) unknownOptions.push(name);
    else if (!LONGITUDINAL.includes(option)) options.add(option);
  }
  if (slot.dateHandling === 'keep') options.add('retainLongitudinalFullDates');
  if (slot.dateHandling === 'shift') options.add('retainLongitudinalModifiedDates');
  const trial = slot.clinicalTrial;
  const config: DeidConfig = {
    options: [...options],
    patientId: slot.pseudonym,
    patientName: slot.pseudonym,
    uidSecret: slot.uidSecret,
    ...(slot.dateHandling === 'shift' && slot.dateOffsetDays !== null ? { dateShiftDays: slot.dateOffsetDays } : {}),
    clinicalTrial: {
      sponsorName: trial.ClinicalTrialSponsorName,
      protocolId: trial.ClinicalTrialProtocolID,
      protocolName: trial.ClinicalTrialProtocolName,
      siteId: trial.ClinicalTrialSiteID,
      siteName: trial.ClinicalTrialSiteName,
      subjectId: trial.ClinicalTrialSubjectID,
      timePointId: trial.ClinicalTrialTimePointID,
      timePointDescription: trial.ClinicalTrialTimePointDescription,
    },
  };
  return { config, unknownOptions };
}
