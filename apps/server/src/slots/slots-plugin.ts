import { assignSlot, clearSlot, getSlotHistory, getStoredStudy, listStoredStudies } from '@courier/api';
import type { FastifyInstance } from 'fastify';
import { type Capability, loadStudyAccess, requireCapability, requireUnlocked } from '../access/study-access.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import type { SubjectTable } from '../database/schema.js';
import { findSubject } from '../edc/subject-service.js';
import { route } from '../http/route.js';
import { pacsPatientSearch } from './pacs-patient-search.js';
import { assignStoredStudy, clearSlotValue, type SlotRef, slotHistory } from './slot-service.js';
import { backfillStoredStudies } from './stored-study-backfill.js';
import { findStoredStudy, listStoredStudies as storedStudiesOf } from './stored-study-catalogue.js';

/**
 * Slot management (issue 11): the studies stored for a subject, assigning one to a slot, clearing
 * a slot, the slot history. Every route checks the capability at the subject's site (site scope)
 * and, for changes, that the study is not locked.
 *
 * @example
 * await app.register(slotsPlugin, { context });
 */
export async function slotsPlugin(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  const { context } = options;
  const { db } = context;

  /** Loads the study access and the subject and checks the capability at the subject's site. */
  const authorise = async (
    principal: Principal,
    params: { studyId: string; subjectId: string },
    capability: Capability,
    change: boolean,
  ) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    const subject = await findSubject(db, params.studyId, params.subjectId);
    requireCapability(access, capability, subject.siteId);
    if (change) requireUnlocked(access);
    return subject;
  };
  const slotOf = (params: SlotRef): SlotRef => ({
    studyId: params.studyId,
    subjectId: params.subjectId,
    eventId: params.eventId,
    slotDefinitionId: params.slotDefinitionId,
  });

  const actorWithId = (principal: Principal) => ({ ...actorOf(principal), userId: principal.userId });

  // Studies committed before the catalogue existed (migration 0004), and with a DICOMweb PACS those
  // stored there under the subject's pseudonym by another route, are added from the store first.
  const search = pacsPatientSearch(context.config.store);
  const backfill = (subject: SubjectTable) =>
    backfillStoredStudies(db, context.store, subject, context.clock().toISOString(), search);

  route(app, context, listStoredStudies, async (principal, { params }) => {
    const subject = await authorise(principal, params, 'view', false);
    await backfill(subject);
    return storedStudiesOf(db, subject.id);
  });

  route(app, context, getStoredStudy, async (principal, { params }) => {
    const subject = await authorise(principal, params, 'view', false);
    await backfill(subject);
    return findStoredStudy(db, subject.id, params.studyInstanceUid);
  });

  route(app, context, assignSlot, async (principal, { params, body }) => {
    const subject = await authorise(principal, params, 'upload', true);
    await backfill(subject);
    return assignStoredStudy(db, context.clock(), actorWithId(principal), slotOf(params), {
      studyInstanceUid: body.studyInstanceUid,
      overwrite: body.overwrite === true,
      reason: body.reason === undefined || body.reason === '' ? null : body.reason,
    });
  });

  route(app, context, clearSlot, async (principal, { params, body }) => {
    await authorise(principal, params, 'manageSlots', true);
    return clearSlotValue(db, context.clock(), actorWithId(principal), slotOf(params), body.reason);
  });

  route(app, context, getSlotHistory, async (principal, { params }) => {
    await authorise(principal, params, 'view', false);
    return slotHistory(db, slotOf(params));
  });
}
