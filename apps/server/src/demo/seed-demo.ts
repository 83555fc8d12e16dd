import type { Role, Sex } from '@courier/api';
import type { AppContext } from '../context.js';
import { SYSTEM_ACTOR } from '../context.js';
import { countValue } from '../database/dialect.js';
import { createEventDefinition, createSlotDefinition, scheduleEvent } from '../edc/schedule-service.js';
import { createSite, createStudy } from '../edc/study-service.js';
import { enrolSubject } from '../edc/subject-service.js';
import { createMembership, createUser } from '../users/user-service.js';

/** A demo login: printed once at first start, never stored in clear. */
export interface DemoCredential {
  username: string;
  password: string;
  role: string;
}

/** What the demo seed created. */
export interface DemoSeed {
  studyId: string;
  siteIds: [string, string];
  credentials: DemoCredential[];
}

const SCHEDULE: { name: string; repeating: boolean; slots: [string, string[]][] }[] = [
  { name: 'Baseline', repeating: false, slots: [] },
  {
    name: 'Planning',
    repeating: false,
    slots: [
      ['Planning CT', ['CT']],
      ['RT Structure Set', ['RTSTRUCT']],
      ['RT Plan', ['RTPLAN']],
      ['RT Dose', ['RTDOSE']],
    ],
  },
  { name: 'Follow-up', repeating: true, slots: [['Follow-up MR', ['MR']]] },
];

const SUBJECTS: { site: 0 | 1; label: string; sex: Sex; birthDate: string }[] = [
  { site: 0, label: 'S01-001', sex: 'F', birthDate: '1956-03-14' },
  { site: 0, label: 'S01-002', sex: 'M', birthDate: '1949-11-02' },
  { site: 0, label: 'S01-003', sex: 'M', birthDate: '1962-07-29' },
  { site: 1, label: 'S02-001', sex: 'F', birthDate: '1971-01-08' },
  { site: 1, label: 'S02-002', sex: 'M', birthDate: '1958-09-21' },
];

/**
 * On an empty database (no users), creates the demo study: two sites, five subjects with sex and
 * birth date, the events Baseline / Planning / Follow-up with the RT slots, and the users `admin`
 * (system administrator), `uploader` (site uploader at S01) and `monitor`, each with a generated
 * password returned here once. Returns null when the database already has users.
 *
 * @example
 * const seed = await seedDemoIfEmpty(context);
 * if (seed) for (const c of seed.credentials) console.log(c.username, c.password);
 */
export async function seedDemoIfEmpty(context: AppContext): Promise<DemoSeed | null> {
  const { db } = context;
  const users = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (countValue(users.n) > 0) return null;
  const now = context.clock();
  const actor = SYSTEM_ACTOR;

  const study = await createStudy(db, now, actor, {
    identifier: 'COURIER-DEMO',
    name: 'Courier demo radiotherapy trial',
    sponsor: 'Courier Demo Sponsor',
    protocolId: 'CDEMO-001',
    dateHandling: 'shift',
  });
  const siteA = await createSite(db, now, actor, study.id, { code: 'S01', name: 'University Hospital Alpha' });
  const siteB = await createSite(db, now, actor, study.id, { code: 'S02', name: 'City Clinic Beta' });

  for (const event of SCHEDULE) {
    const definition = await createEventDefinition(db, now, actor, study.id, {
      name: event.name,
      repeating: event.repeating,
    });
    for (const [label, modalities] of event.slots) {
      await createSlotDefinition(db, now, actor, study.id, definition.id, { label, modalities });
    }
  }
  const followUp = (
    await db
      .selectFrom('eventDefinitions')
      .select('id')
      .where('studyId', '=', study.id)
      .where('name', '=', 'Follow-up')
      .executeTakeFirstOrThrow()
  ).id;
  const sites = [siteA, siteB] as const;
  for (const subject of SUBJECTS) {
    const enrolled = await enrolSubject(db, now, actor, study.id, {
      siteId: sites[subject.site].id,
      label: subject.label,
      sex: subject.sex,
      birthDate: subject.birthDate,
    });
    await scheduleEvent(db, now, actor, study.id, enrolled.id, { eventDefinitionId: followUp });
  }

  const people: { username: string; displayName: string; role: Role; siteId: string | null; admin: boolean }[] = [
    { username: 'admin', displayName: 'Demo Administrator', role: 'admin', siteId: null, admin: true },
    {
      username: 'uploader',
      displayName: 'Demo Site Uploader (S01)',
      role: 'site_uploader',
      siteId: siteA.id,
      admin: false,
    },
    { username: 'monitor', displayName: 'Demo Monitor', role: 'monitor', siteId: null, admin: false },
  ];
  const credentials: DemoCredential[] = [];
  for (const person of people) {
    const created = await createUser(db, now, actor, {
      username: person.username,
      displayName: person.displayName,
      systemAdmin: person.admin,
    });
    await createMembership(db, now, actor, study.id, {
      userId: created.user.id,
      role: person.role,
      siteId: person.siteId,
    });
    credentials.push({
      username: person.username,
      password: created.generatedPassword!,
      role: person.admin ? 'system administrator, study admin' : person.role,
    });
  }
  return { studyId: study.id, siteIds: [siteA.id, siteB.id], credentials };
}
