import { getStudy, getSubject, listEventSlots, listSubjectEvents } from '@courier/api';
import { call } from '../api/client.js';
import type { SlotRef } from '../portal/uploader-link.js';

/** What the Uploader shows about its slot before and after Connect. */
export interface SlotOverview {
  studyIdentifier: string;
  studyName: string;
  siteCode: string;
  siteName: string;
  pseudonym: string;
  eventName: string;
  eventOccurrence: number;
  slotLabel: string;
  expectedModalities: string[];
  currentStudyInstanceUid: string | null;
}

/**
 * Loads the slot overview from the Portal's read endpoints (study, subject, event, slot), using
 * the session cookie. Only the pseudonym of the subject is shown, never the site's label.
 *
 * @example
 * const overview = await loadSlotOverview(ref);
 */
export async function loadSlotOverview(ref: SlotRef): Promise<SlotOverview> {
  const params = { studyId: ref.studyId, subjectId: ref.subjectId, eventId: ref.eventId };
  const [study, subject, events, slots] = await Promise.all([
    call(getStudy, { params }),
    call(getSubject, { params }),
    call(listSubjectEvents, { params }),
    call(listEventSlots, { params }),
  ]);
  const site = study.sites.find((s) => s.id === subject.siteId);
  const event = events.find((e) => e.id === ref.eventId);
  const slot = slots.find((s) => s.slotDefinitionId === ref.slotDefinitionId);
  if (event === undefined || slot === undefined) throw new Error('the slot is not part of this event');
  return {
    studyIdentifier: study.identifier,
    studyName: study.name,
    siteCode: site?.code ?? '',
    siteName: site?.name ?? '',
    pseudonym: subject.pseudonym,
    eventName: event.name,
    eventOccurrence: event.occurrence,
    slotLabel: slot.label,
    expectedModalities: slot.modalities,
    currentStudyInstanceUid: slot.value?.studyInstanceUid ?? null,
  };
}
