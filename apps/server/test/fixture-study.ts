import type { Role } from '@courier/api';
import { hashPassword } from '../src/auth/password.js';
import { SYSTEM_ACTOR } from '../src/context.js';
import { createEventDefinition, createSlotDefinition } from '../src/edc/schedule-service.js';
import { createSite, createStudy } from '../src/edc/study-service.js';
import { enrolSubject } from '../src/edc/subject-service.js';
import { createMembership } from '../src/users/user-service.js';
import type { RunningPortal } from './portal-harness.js';

/** The password every fixture user has. */
export const FIXTURE_PASSWORD = 'fixture-password-123';

// A low scrypt cost keeps the many logins of the suites fast; login still runs the real
// verification, reading the cost from the stored hash.
const fixturePasswordHash = hashPassword(FIXTURE_PASSWORD, { cost: 2 ** 10 });

/** The people of the fixture study, by the role they hold. */
export const FIXTURE_USERS = [
  'system_admin',
  'admin',
  'study_manager',
  'site_uploader',
  'monitor',
  'outsider',
] as const;
/** One of {@link FIXTURE_USERS}. */
export type FixtureUser = (typeof FIXTURE_USERS)[number];

/** What {@link createFixtureStudy} made. */
export interface FixtureStudy {
  studyId: string;
  siteA: string;
  siteB: string;
  /** A subject at site A (the uploader's own site) and one at site B. */
  subjectA: string;
  subjectB: string;
  /** The scheduled Planning event of each subject. */
  eventA: string;
  eventB: string;
  planningId: string;
  /** The Planning CT slot. */
  slotCt: string;
  followUpId: string;
  userIds: Record<FixtureUser, string>;
}

/**
 * A study with sites A and B, one subject at each, a Planning event with two slots and a
 * repeating Follow-up, and one user per role: the site uploader at site A, the outsider with no
 * membership at all.
 *
 * @example
 * const fixture = await createFixtureStudy(portal);
 */
export async function createFixtureStudy(portal: RunningPortal): Promise<FixtureStudy> {
  const db = portal.context.db;
  const now = portal.clock();
  const actor = SYSTEM_ACTOR;
  const study = await createStudy(db, now, actor, {
    identifier: 'FIX-01',
    name: 'Fixture study',
    sponsor: 'Fixture sponsor',
    protocolId: 'FIX-P',
  });
  const siteA = await createSite(db, now, actor, study.id, { code: 'A', name: 'Site A' });
  const siteB = await createSite(db, now, actor, study.id, { code: 'B', name: 'Site B' });
  const planning = await createEventDefinition(db, now, actor, study.id, { name: 'Planning' });
  const slotCt = await createSlotDefinition(db, now, actor, study.id, planning.id, {
    label: 'Planning CT',
    modalities: ['CT'],
  });
  await createSlotDefinition(db, now, actor, study.id, planning.id, { label: 'RT Plan', modalities: ['RTPLAN'] });
  const followUp = await createEventDefinition(db, now, actor, study.id, { name: 'Follow-up', repeating: true });
  const subjectA = await enrolSubject(db, now, actor, study.id, {
    siteId: siteA.id,
    label: 'A-001',
    sex: 'F',
    birthDate: '1960-05-01',
  });
  const subjectB = await enrolSubject(db, now, actor, study.id, {
    siteId: siteB.id,
    label: 'B-001',
    sex: 'M',
    birthYear: 1955,
  });
  const eventOf = async (subjectId: string) =>
    (
      await db
        .selectFrom('scheduledEvents')
        .select('id')
        .where('subjectId', '=', subjectId)
        .where('eventDefinitionId', '=', planning.id)
        .executeTakeFirstOrThrow()
    ).id;

  const roles: Record<FixtureUser, { role: Role; siteId: string | null } | null> = {
    system_admin: null,
    admin: { role: 'admin', siteId: null },
    study_manager: { role: 'study_manager', siteId: null },
    site_uploader: { role: 'site_uploader', siteId: siteA.id },
    monitor: { role: 'monitor', siteId: null },
    outsider: null,
  };
  // Users are inserted directly with one shared hash: scrypt costs tens of milliseconds per call
  // and the fixture needs six users per test file (createUser itself is tested via the API).
  const passwordHash = await fixturePasswordHash;
  const userIds = {} as Record<FixtureUser, string>;
  for (const name of FIXTURE_USERS) {
    const id = crypto.randomUUID();
    await db
      .insertInto('users')
      .values({
        id,
        username: fixtureUsername(name),
        displayName: name,
        passwordHash,
        systemAdmin: name === 'system_admin' ? 1 : 0,
        disabled: 0,
        createdAt: now.toISOString(),
      })
      .execute();
    userIds[name] = id;
    const grant = roles[name];
    if (grant !== null) await createMembership(db, now, actor, study.id, { userId: id, ...grant });
  }
  return {
    studyId: study.id,
    siteA: siteA.id,
    siteB: siteB.id,
    subjectA: subjectA.id,
    subjectB: subjectB.id,
    eventA: await eventOf(subjectA.id),
    eventB: await eventOf(subjectB.id),
    planningId: planning.id,
    slotCt: slotCt.id,
    followUpId: followUp.id,
    userIds,
  };
}

/** The login name of a fixture user. */
export function fixtureUsername(user: FixtureUser): string {
  return user.replace('_', '-');
}
