import {
  getStudy,
  getSubject,
  listEventDefinitions,
  listEventSlots,
  listStudies,
  listSubjectEvents,
  listSubjects,
  scheduleEvent,
} from '@courier/api';
import type { FastifyInstance } from 'fastify';
import { loadStudyAccess, requireCapability, requireUnlocked, siteScope } from '../access/study-access.js';
import { actorOf } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { route } from '../http/route.js';
import { toSubject } from './mappers.js';
import * as schedule from './schedule-service.js';
import { studiesOfUser, studyOfUser } from './study-service.js';
import * as subjects from './subject-service.js';

/**
 * What the web app reads: studies of the user, subjects (site-scoped), events and slots.
 *
 * @example
 * await app.register(edcPlugin, { context });
 */
export async function edcPlugin(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  const { context } = options;
  const { db } = context;

  route(app, context, listStudies, async (principal) => studiesOfUser(db, principal));

  route(app, context, getStudy, async (principal, { params }) =>
    studyOfUser(db, await loadStudyAccess(db, principal, params.studyId)),
  );

  route(app, context, listEventDefinitions, async (principal, { params }) => {
    await loadStudyAccess(db, principal, params.studyId);
    return schedule.listEventDefinitions(db, params.studyId);
  });

  route(app, context, listSubjects, async (principal, { params, query }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    if (query.siteId !== undefined) requireCapability(access, 'view', query.siteId);
    return subjects.listSubjects(db, params.studyId, siteScope(access, 'view'), query);
  });

  route(app, context, getSubject, async (principal, { params }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    const subject = await subjects.findSubject(db, params.studyId, params.subjectId);
    requireCapability(access, 'view', subject.siteId);
    return toSubject(subject);
  });

  route(app, context, listSubjectEvents, async (principal, { params }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    const subject = await subjects.findSubject(db, params.studyId, params.subjectId);
    requireCapability(access, 'view', subject.siteId);
    return schedule.listSubjectEvents(db, subject.id);
  });

  route(app, context, scheduleEvent, async (principal, { params, body }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    const subject = await subjects.findSubject(db, params.studyId, params.subjectId);
    requireCapability(access, 'schedule', subject.siteId);
    requireUnlocked(access);
    return schedule.scheduleEvent(db, context.clock(), actorOf(principal), params.studyId, subject.id, body);
  });

  route(app, context, listEventSlots, async (principal, { params }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    const subject = await subjects.findSubject(db, params.studyId, params.subjectId);
    requireCapability(access, 'view', subject.siteId);
    return schedule.listEventSlots(db, subject.id, params.eventId);
  });
}
