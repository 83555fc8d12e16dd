import {
  ApiError,
  createEventDefinition,
  createMembership,
  createSite,
  createSlotDefinition,
  createStudy,
  createUser,
  deleteMembership,
  enrolSubject,
  listMemberships,
  listUsers,
  updateStudy,
  updateSubject,
  updateUser,
} from '@courier/api';
import type { FastifyInstance } from 'fastify';
import { loadStudyAccess, requireCapability, requireUnlocked } from '../access/study-access.js';
import type { Principal } from '../auth/principal.js';
import { actorOf } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { route } from '../http/route.js';
import * as users from '../users/user-service.js';
import * as schedule from './schedule-service.js';
import * as studies from './study-service.js';
import * as subjects from './subject-service.js';

function requireSystemAdmin(principal: Principal): void {
  if (!principal.systemAdmin) throw new ApiError('FORBIDDEN', 'system administrators only');
}

/**
 * Study set-up: studies, sites, event and slot definitions, enrolment, users and memberships.
 *
 * @example
 * await app.register(adminPlugin, { context });
 */
export async function adminPlugin(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  const { context } = options;
  const { db } = context;
  const now = () => context.clock();

  route(app, context, createStudy, async (principal, { body }) => {
    requireSystemAdmin(principal);
    return studies.createStudy(db, now(), actorOf(principal), body);
  });

  route(app, context, updateStudy, async (principal, { params, body }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    requireCapability(access, 'administer');
    return studies.updateStudy(db, now(), actorOf(principal), params.studyId, body);
  });

  route(app, context, createSite, async (principal, { params, body }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    requireCapability(access, 'setUp');
    requireUnlocked(access);
    return studies.createSite(db, now(), actorOf(principal), params.studyId, body);
  });

  route(app, context, createEventDefinition, async (principal, { params, body }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    requireCapability(access, 'setUp');
    requireUnlocked(access);
    return schedule.createEventDefinition(db, now(), actorOf(principal), params.studyId, body);
  });

  route(app, context, createSlotDefinition, async (principal, { params, body }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    requireCapability(access, 'setUp');
    requireUnlocked(access);
    return schedule.createSlotDefinition(db, now(), actorOf(principal), params.studyId, params.eventDefinitionId, body);
  });

  route(app, context, enrolSubject, async (principal, { params, body }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    requireCapability(access, 'setUp');
    requireUnlocked(access);
    return subjects.enrolSubject(db, now(), actorOf(principal), params.studyId, body);
  });

  route(app, context, updateSubject, async (principal, { params, body }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    requireCapability(access, 'setUp');
    requireUnlocked(access);
    return subjects.updateSubject(db, now(), actorOf(principal), params.studyId, params.subjectId, body);
  });

  route(app, context, updateUser, async (principal, { params, body }) => {
    requireSystemAdmin(principal);
    if (params.userId === principal.userId && (body.disabled === true || body.systemAdmin === false)) {
      throw new ApiError('FORBIDDEN', 'administrators cannot disable or demote themselves');
    }
    return users.updateUser(db, now(), actorOf(principal), params.userId, body);
  });

  route(app, context, listUsers, async (principal) => {
    requireSystemAdmin(principal);
    return users.listUsers(db);
  });

  route(app, context, createUser, async (principal, { body }) => {
    requireSystemAdmin(principal);
    return users.createUser(db, now(), actorOf(principal), body);
  });

  route(app, context, listMemberships, async (principal, { params }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    requireCapability(access, 'setUp');
    return users.listMemberships(db, params.studyId);
  });

  route(app, context, createMembership, async (principal, { params, body }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    requireCapability(access, 'administer');
    return users.createMembership(db, now(), actorOf(principal), params.studyId, body);
  });

  route(app, context, deleteMembership, async (principal, { params }) => {
    const access = await loadStudyAccess(db, principal, params.studyId);
    requireCapability(access, 'administer');
    await users.deleteMembership(db, now(), actorOf(principal), params.studyId, params.membershipId);
    return undefined;
  });
}
