import {
  type AnyEndpoint,
  assignSlot,
  changePassword,
  clearSlot,
  createApiToken,
  createEventDefinition,
  createMembership,
  createSite,
  createSlotDefinition,
  createStudy,
  createUpload,
  createUser,
  DICOMWEB_ENDPOINTS,
  deleteMembership,
  ENDPOINTS,
  endpointPath,
  enrolSubject,
  getMe,
  getMyMailAddress,
  getNotificationSettings,
  getSlotHistory,
  getStoredStudy,
  getStudy,
  getSubject,
  getUpload,
  getUploadCommit,
  importOdm,
  listApiTokens,
  listAudit,
  listEventDefinitions,
  listEventSlots,
  listMailOutbox,
  listMemberships,
  listStoredStudies,
  listStudies,
  listSubjectEvents,
  listSubjects,
  listUploadReceipts,
  listUploads,
  listUsers,
  previewOdmImport,
  putUploadManifest,
  type Role,
  revokeApiToken,
  scheduleEvent,
  setActiveStudy,
  setMyMailAddress,
  updateNotificationSettings,
  updateStudy,
  updateSubject,
  updateUser,
} from '@courier/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFixtureStudy,
  FIXTURE_PASSWORD,
  FIXTURE_USERS,
  type FixtureStudy,
  type FixtureUser,
  fixtureUsername,
} from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

/** Which site a request targets: the site uploader's own site (A) or the other one (B). */
type Target = 'own' | 'other';

interface Context {
  fixture: FixtureStudy;
  target: Target;
  /** Distinct per request, for names that must be unique. */
  n: number;
  /** Index of the calling user in FIXTURE_USERS. */
  caller: number;
  spareUserId: string;
  spareMemberships: string[];
  /** An API token of each caller, by caller index. */
  tokens: string[];
  /** An upload session the site uploader opened for subject A. */
  uploadId: string;
  /** Slot management: per target, a filled slot (event id) for each caller to clear. */
  filledEvents: Record<Target, string[]>;
  filledSlotId: string;
}

interface Case {
  endpoint: AnyEndpoint;
  /** Endpoints about one subject or site are tried at both sites. */
  targets: readonly Target[];
  request(context: Context): { params?: Record<string, string>; query?: string; body?: unknown };
  /** Who is allowed, per target. */
  allowed(target: Target): readonly FixtureUser[];
}

const EVERYONE: readonly FixtureUser[] = FIXTURE_USERS;
const MEMBERS: readonly FixtureUser[] = ['system_admin', 'admin', 'study_manager', 'site_uploader', 'monitor'];
const SET_UP: readonly FixtureUser[] = ['system_admin', 'admin', 'study_manager'];
const ADMINS: readonly FixtureUser[] = ['system_admin', 'admin'];
const SYSTEM: readonly FixtureUser[] = ['system_admin'];
/** Site-scoped reading: every member at the own site; everyone but the uploader at the other. */
const viewAt = (target: Target) => (target === 'own' ? MEMBERS : MEMBERS.filter((u) => u !== 'site_uploader'));

const BOTH: readonly Target[] = ['own', 'other'];
const ONE: readonly Target[] = ['own'];
const siteOf = (c: Context) => (c.target === 'own' ? c.fixture.siteA : c.fixture.siteB);
const subjectOf = (c: Context) => (c.target === 'own' ? c.fixture.subjectA : c.fixture.subjectB);
const eventOf = (c: Context) => (c.target === 'own' ? c.fixture.eventA : c.fixture.eventB);
const study = (c: Context) => ({ studyId: c.fixture.studyId });
const subject = (c: Context) => ({ ...study(c), subjectId: subjectOf(c) });
/** A study stored for both subjects (slot-management cases); one more per caller to assign. */
const STORED_UID = '2.25.7700';
const storedUidOf = (caller: number) => `2.25.77${10 + caller}`;
const GRANTS: { role: Role; site: 'A' | 'B' | null }[] = [
  { role: 'monitor', site: null },
  { role: 'monitor', site: 'A' },
  { role: 'monitor', site: 'B' },
  { role: 'study_manager', site: null },
  { role: 'site_uploader', site: 'A' },
  { role: 'site_uploader', site: 'B' },
];

/** A one-event, one-slot ODM study definition for the ODM import cases (re-imports change nothing). */
const MATRIX_ODM = `<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" ODMVersion="1.3"><Study OID="S_MATRIX"><MetaDataVersion OID="v1" Name="v1">
<StudyEventDef OID="SE_MATRIX" Name="Matrix" Repeating="No"><FormRef FormOID="F_M" Mandatory="Yes"/></StudyEventDef>
<FormDef OID="F_M" Name="M" Repeating="No"><ItemGroupRef ItemGroupOID="IG_M" Mandatory="Yes"/></FormDef>
<ItemGroupDef OID="IG_M" Name="M" Repeating="No"><ItemRef ItemOID="I_M_DICOM" Mandatory="No"/></ItemGroupDef>
<ItemDef OID="I_M_DICOM" Name="M" DataType="text"/></MetaDataVersion></Study></ODM>`;

// The matrix: every endpoint but login, logout and the API document (tested in auth.test.ts).
const CASES: Case[] = [
  { endpoint: getMe, targets: ONE, request: () => ({}), allowed: () => EVERYONE },
  { endpoint: listApiTokens, targets: ONE, request: () => ({}), allowed: () => EVERYONE },
  { endpoint: createApiToken, targets: ONE, request: (c) => ({ body: { name: `t${c.n}` } }), allowed: () => EVERYONE },
  {
    endpoint: revokeApiToken,
    targets: ONE,
    request: (c) => ({ params: { tokenId: c.tokens[c.caller]! } }),
    allowed: () => EVERYONE,
  },
  {
    endpoint: changePassword,
    targets: ONE,
    request: () => ({ body: { currentPassword: FIXTURE_PASSWORD, newPassword: FIXTURE_PASSWORD } }),
    allowed: () => EVERYONE,
  },
  { endpoint: listStudies, targets: ONE, request: () => ({}), allowed: () => EVERYONE },
  {
    endpoint: setActiveStudy,
    targets: ONE,
    request: (c) => ({ body: { studyId: c.fixture.studyId } }),
    allowed: () => MEMBERS,
  },
  { endpoint: getStudy, targets: ONE, request: (c) => ({ params: study(c) }), allowed: () => MEMBERS },
  { endpoint: listEventDefinitions, targets: ONE, request: (c) => ({ params: study(c) }), allowed: () => MEMBERS },
  { endpoint: listSubjects, targets: ONE, request: (c) => ({ params: study(c) }), allowed: () => MEMBERS },
  {
    endpoint: listSubjects,
    targets: BOTH,
    request: (c) => ({ params: study(c), query: `?siteId=${siteOf(c)}` }),
    allowed: viewAt,
  },
  { endpoint: getSubject, targets: BOTH, request: (c) => ({ params: subject(c) }), allowed: viewAt },
  { endpoint: listSubjectEvents, targets: BOTH, request: (c) => ({ params: subject(c) }), allowed: viewAt },
  {
    endpoint: listEventSlots,
    targets: BOTH,
    request: (c) => ({ params: { ...subject(c), eventId: eventOf(c) } }),
    allowed: viewAt,
  },
  {
    endpoint: scheduleEvent,
    targets: BOTH,
    request: (c) => ({ params: subject(c), body: { eventDefinitionId: c.fixture.followUpId } }),
    allowed: (t) => (t === 'own' ? ['system_admin', 'admin', 'study_manager', 'site_uploader'] : SET_UP),
  },
  { endpoint: listStoredStudies, targets: BOTH, request: (c) => ({ params: subject(c) }), allowed: viewAt },
  {
    endpoint: getStoredStudy,
    targets: BOTH,
    request: (c) => ({ params: { ...subject(c), studyInstanceUid: STORED_UID } }),
    allowed: viewAt,
  },
  {
    endpoint: assignSlot,
    targets: BOTH,
    request: (c) => ({
      params: { ...subject(c), eventId: eventOf(c), slotDefinitionId: c.fixture.slotCt },
      body: { studyInstanceUid: storedUidOf(c.caller), overwrite: true },
    }),
    allowed: (t) => (t === 'own' ? ['system_admin', 'admin', 'study_manager', 'site_uploader'] : SET_UP),
  },
  {
    endpoint: clearSlot,
    targets: BOTH,
    request: (c) => ({
      params: { ...subject(c), eventId: c.filledEvents[c.target][c.caller]!, slotDefinitionId: c.filledSlotId },
      body: { reason: 'permission matrix' },
    }),
    allowed: () => SET_UP,
  },
  {
    endpoint: getSlotHistory,
    targets: BOTH,
    request: (c) => ({ params: { ...subject(c), eventId: eventOf(c), slotDefinitionId: c.fixture.slotCt } }),
    allowed: viewAt,
  },
  {
    endpoint: createUpload,
    targets: BOTH,
    request: (c) => ({
      body: {
        studyId: c.fixture.studyId,
        subjectId: subjectOf(c),
        eventId: eventOf(c),
        slotDefinitionId: c.fixture.slotCt,
      },
    }),
    allowed: (t) => (t === 'own' ? ['system_admin', 'admin', 'study_manager', 'site_uploader'] : SET_UP),
  },
  { endpoint: listUploads, targets: ONE, request: () => ({ query: '?status=open' }), allowed: () => EVERYONE },
  {
    endpoint: getUpload,
    targets: ONE,
    request: (c) => ({ params: { uploadId: c.uploadId } }),
    allowed: () => ['system_admin', 'admin', 'site_uploader'],
  },
  {
    endpoint: getUploadCommit,
    targets: ONE,
    request: (c) => ({ params: { uploadId: c.uploadId } }),
    allowed: () => ['system_admin', 'admin', 'site_uploader'],
  },
  {
    endpoint: listUploadReceipts,
    targets: ONE,
    request: (c) => ({ params: { uploadId: c.uploadId }, query: '?limit=10' }),
    allowed: () => ['system_admin', 'admin', 'site_uploader'],
  },
  {
    endpoint: putUploadManifest,
    targets: ONE,
    request: (c) => ({
      params: { uploadId: c.uploadId },
      body: {
        studyInstanceUid: '2.25.1',
        instances: [
          {
            sopInstanceUid: '2.25.3',
            sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
            seriesInstanceUid: '2.25.2',
            size: 500,
          },
        ],
      },
    }),
    allowed: () => ['site_uploader'],
  },
  {
    endpoint: enrolSubject,
    targets: BOTH,
    request: (c) => ({ params: study(c), body: { siteId: siteOf(c), label: `E-${c.n}`, sex: 'F', birthYear: 1950 } }),
    allowed: () => SET_UP,
  },
  {
    endpoint: updateSubject,
    targets: BOTH,
    request: (c) => ({ params: subject(c), body: { status: 'enrolled' } }),
    allowed: () => SET_UP,
  },
  {
    endpoint: updateUser,
    targets: ONE,
    request: (c) => ({ params: { userId: c.spareUserId }, body: { displayName: `Spare ${c.n}` } }),
    allowed: () => SYSTEM,
  },
  {
    endpoint: createSite,
    targets: ONE,
    request: (c) => ({ params: study(c), body: { code: `S${c.n}`, name: `Site ${c.n}` } }),
    allowed: () => SET_UP,
  },
  {
    endpoint: createEventDefinition,
    targets: ONE,
    request: (c) => ({ params: study(c), body: { name: `Event ${c.n}` } }),
    allowed: () => SET_UP,
  },
  {
    endpoint: createSlotDefinition,
    targets: ONE,
    request: (c) => ({
      params: { ...study(c), eventDefinitionId: c.fixture.planningId },
      body: { label: `Slot ${c.n}`, modalities: ['CT'] },
    }),
    allowed: () => SET_UP,
  },
  { endpoint: listMemberships, targets: ONE, request: (c) => ({ params: study(c) }), allowed: () => SET_UP },
  {
    endpoint: createMembership,
    targets: ONE,
    request: (c) => {
      const grant = GRANTS[c.caller]!;
      const siteId = grant.site === null ? null : grant.site === 'A' ? c.fixture.siteA : c.fixture.siteB;
      return { params: study(c), body: { userId: c.spareUserId, role: grant.role, siteId } };
    },
    allowed: () => ADMINS,
  },
  {
    endpoint: deleteMembership,
    targets: ONE,
    request: (c) => ({ params: { ...study(c), membershipId: c.spareMemberships[c.caller]! } }),
    allowed: () => ADMINS,
  },
  {
    endpoint: updateStudy,
    targets: ONE,
    request: (c) => ({ params: study(c), body: { name: 'Fixture study' } }),
    allowed: () => ADMINS,
  },
  {
    endpoint: listAudit,
    targets: ONE,
    request: (c) => ({ query: `?studyId=${c.fixture.studyId}` }),
    allowed: () => ADMINS,
  },
  { endpoint: listAudit, targets: ONE, request: () => ({}), allowed: () => SYSTEM },
  { endpoint: getNotificationSettings, targets: ONE, request: (c) => ({ params: study(c) }), allowed: () => SET_UP },
  {
    endpoint: updateNotificationSettings,
    targets: ONE,
    request: (c) => ({
      params: study(c),
      body: {
        enabled: false,
        recipients: [`imaging-${c.n}@example.org`],
        kinds: ['slot.assigned'],
        notifyUploader: true,
      },
    }),
    allowed: () => SET_UP,
  },
  { endpoint: listMailOutbox, targets: ONE, request: (c) => ({ params: study(c) }), allowed: () => ADMINS },
  { endpoint: getMyMailAddress, targets: ONE, request: () => ({}), allowed: () => EVERYONE },
  {
    endpoint: setMyMailAddress,
    targets: ONE,
    request: (c) => ({ body: { email: `user-${c.n}@example.org` } }),
    allowed: () => EVERYONE,
  },
  {
    endpoint: previewOdmImport,
    targets: ONE,
    request: (c) => ({ params: study(c), body: { odm: MATRIX_ODM } }),
    allowed: () => SET_UP,
  },
  {
    endpoint: importOdm,
    targets: ONE,
    request: (c) => ({ params: study(c), body: { odm: MATRIX_ODM } }),
    allowed: () => SET_UP,
  },
  { endpoint: listUsers, targets: ONE, request: () => ({}), allowed: () => SYSTEM },
  {
    endpoint: createUser,
    targets: ONE,
    request: (c) => ({ body: { username: `new-${c.n}`, displayName: 'New', password: 'a-long-password-1' } }),
    allowed: () => SYSTEM,
  },
  {
    endpoint: createStudy,
    targets: ONE,
    request: (c) => ({ body: { identifier: `NEW-${c.n}`, name: 'New', sponsor: 'S', protocolId: 'P' } }),
    allowed: () => SYSTEM,
  },
];

describe(`the permission matrix on ${TEST_BACKEND} (role × endpoint × own/other site)`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  const clients = new Map<FixtureUser, TestClient>();
  let spareUserId: string;
  const spareMemberships: string[] = [];
  const tokens: string[] = [];
  let uploadId: string;
  let counter = 0;
  const filledEvents: Record<Target, string[]> = { own: [], other: [] };
  let filledSlotId: string;

  beforeAll(async () => {
    portal = await startPortal();
    fixture = await createFixtureStudy(portal);
    const db = portal.context.db;
    spareUserId = crypto.randomUUID();
    const now = portal.clock().toISOString();
    await db
      .insertInto('users')
      .values({
        id: spareUserId,
        username: 'spare',
        displayName: 'Spare',
        passwordHash: 'x',
        systemAdmin: 0,
        disabled: 0,
        createdAt: now,
      })
      .execute();
    for (let i = 0; i < FIXTURE_USERS.length; i++) {
      const id = crypto.randomUUID();
      await db
        .insertInto('memberships')
        .values({
          id,
          userId: spareUserId,
          studyId: fixture.studyId,
          siteId: fixture.siteB,
          role: 'monitor',
          createdAt: now,
        })
        .execute();
      spareMemberships.push(id);
    }
    for (const user of FIXTURE_USERS) {
      const id = crypto.randomUUID();
      await db
        .insertInto('apiTokens')
        .values({
          id,
          userId: fixture.userIds[user],
          name: 'matrix',
          tokenHash: id,
          createdAt: now,
          lastUsedAt: null,
          revokedAt: null,
        })
        .execute();
      tokens.push(id);
    }
    uploadId = crypto.randomUUID();
    await db
      .insertInto('uploadSessions')
      .values({
        id: uploadId,
        studyId: fixture.studyId,
        subjectId: fixture.subjectA,
        scheduledEventId: fixture.eventA,
        slotDefinitionId: fixture.slotCt,
        createdBy: fixture.userIds.site_uploader,
        createdAt: now,
        expiresAt: '2100-01-01T00:00:00.000Z',
        status: 'open',
        studyInstanceUid: null,
      })
      .execute();
    // Slot management: stored studies for both subjects (catalogue rows as a commit writes them),
    // and per caller a filled slot in an event of its own to clear.
    const matrixEvent = crypto.randomUUID();
    filledSlotId = crypto.randomUUID();
    await db
      .insertInto('eventDefinitions')
      .values({ id: matrixEvent, studyId: fixture.studyId, name: 'Matrix', repeating: 1, position: 9 })
      .execute();
    await db
      .insertInto('slotDefinitions')
      .values({
        id: filledSlotId,
        eventDefinitionId: matrixEvent,
        label: 'Matrix slot',
        modalitiesJson: '[]',
        position: 0,
      })
      .execute();
    for (const target of ['own', 'other'] as const) {
      const subjectId = target === 'own' ? fixture.subjectA : fixture.subjectB;
      for (const uid of [STORED_UID, ...FIXTURE_USERS.map((_, i) => storedUidOf(i))]) {
        await db
          .insertInto('storedStudies')
          .values({
            studyId: fixture.studyId,
            subjectId,
            studyInstanceUid: uid,
            patientId: 'P',
            studyDate: null,
            studyTime: null,
            description: '',
            modalitiesJson: '[]',
            seriesCount: 0,
            instanceCount: 0,
            firstUploadId: null,
            lastUploadId: null,
            source: 'upload',
            createdAt: now,
            updatedAt: now,
          })
          .execute();
      }
      for (let i = 0; i < FIXTURE_USERS.length; i++) {
        const eventId = crypto.randomUUID();
        await db
          .insertInto('scheduledEvents')
          .values({
            id: eventId,
            subjectId,
            eventDefinitionId: matrixEvent,
            occurrence: i + 1,
            date: null,
            status: 'scheduled',
            createdAt: now,
          })
          .execute();
        await db
          .insertInto('slotValues')
          .values({
            scheduledEventId: eventId,
            slotDefinitionId: filledSlotId,
            studyInstanceUid: STORED_UID,
            assignedAt: now,
            assignedBy: fixture.userIds.admin,
            uploadId: null,
          })
          .execute();
        filledEvents[target].push(eventId);
      }
    }
    for (const user of FIXTURE_USERS) {
      const client = new TestClient(portal.baseUrl);
      await client.login(fixtureUsername(user), FIXTURE_PASSWORD);
      clients.set(user, client);
    }
  });
  afterAll(async () => portal.stop());

  it('covers every endpoint except login, logout and the API document', () => {
    const covered = new Set(CASES.map((c) => c.endpoint.id));
    // Batches and commit need a real multipart body and a complete session: their "only the
    // session's creator" rule is tested in upload-batches.test.ts and upload-commit.test.ts.
    // The DICOMweb service and the zip downloads need stored DICOM assigned to slots, and deny with
    // 404 (not 403) so a study's existence does not leak: dicomweb-qido.test.ts, dicomweb-wado.test.ts
    // and download-zip.test.ts run their own role × site matrices.
    // The ODM export answers XML, not JSON: odm.test.ts checks who gets which subjects (and outsiders 403).
    const elsewhere = [
      'login',
      'logout',
      'getApiDocs',
      'exportOdmClinicalData',
      'storeUploadBatch',
      'commitUpload',
      'downloadStudyZip',
      'downloadSeriesZip',
      ...DICOMWEB_ENDPOINTS.map((e) => e.id),
    ];
    const expected = ENDPOINTS.map((e) => e.id).filter((id) => !elsewhere.includes(id));
    expect([...covered].sort()).toEqual(expected.sort());
  });

  const rows = CASES.flatMap((c) =>
    c.targets.flatMap((target) =>
      FIXTURE_USERS.map((user) => ({ case: c, target, user, allowed: c.allowed(target).includes(user) })),
    ),
  );

  it.each(
    rows.map((r) => [`${r.user} ${r.allowed ? 'may' : 'may not'} ${r.case.endpoint.id} at the ${r.target} site`, r]),
  )('%s', async (_title, row) => {
    const context: Context = {
      fixture,
      target: row.target,
      n: ++counter,
      caller: FIXTURE_USERS.indexOf(row.user),
      spareUserId,
      spareMemberships,
      tokens,
      uploadId,
      filledEvents,
      filledSlotId,
    };
    const request = row.case.request(context);
    const path = endpointPath(row.case.endpoint, request.params ?? {}) + (request.query ?? '');
    const response = await clients.get(row.user)!.request(row.case.endpoint.method, path, request.body);
    if (row.allowed) {
      expect(response.status, JSON.stringify(response.body)).toBe(row.case.endpoint.status);
    } else {
      expect(response.status, JSON.stringify(response.body)).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
  });

  it('answers every authenticated endpoint without credentials with 401 AUTH_REQUIRED', async () => {
    const anonymous = new TestClient(portal.baseUrl);
    for (const endpoint of ENDPOINTS.filter((e) => e.authenticated)) {
      const params = Object.fromEntries(
        [...endpoint.path.matchAll(/:([A-Za-z]+)/g)].map((m) => [m[1]!, crypto.randomUUID()]),
      );
      const response = await anonymous.request(endpoint.method, endpointPath(endpoint, params));
      expect([endpoint.id, response.status, response.body.code]).toEqual([endpoint.id, 401, 'AUTH_REQUIRED']);
    }
  });

  it('shows a site uploader only the subjects and sites of its own site', async () => {
    const uploader = clients.get('site_uploader')!;
    const subjects = await uploader.get(`/api/studies/${fixture.studyId}/subjects?limit=200`);
    expect(subjects.body.items.length).toBeGreaterThan(0);
    expect(new Set(subjects.body.items.map((s: { siteId: string }) => s.siteId))).toEqual(new Set([fixture.siteA]));
    expect(subjects.body.total).toBe(subjects.body.items.length);
    const studyView = await uploader.get(`/api/studies/${fixture.studyId}`);
    expect(studyView.body).toMatchObject({ roles: ['site_uploader'], allSites: false, siteIds: [fixture.siteA] });
    const monitor = await clients.get('monitor')!.get(`/api/studies/${fixture.studyId}/subjects?limit=200`);
    expect(new Set(monitor.body.items.map((s: { siteId: string }) => s.siteId))).toEqual(
      new Set([fixture.siteA, fixture.siteB]),
    );
  });

  it('never shows the study UID secret in a study view', async () => {
    const view = await clients.get('admin')!.get(`/api/studies/${fixture.studyId}`);
    const secret = (await portal.context.db.selectFrom('studies').select('uidSecret').executeTakeFirstOrThrow())
      .uidSecret;
    expect(JSON.stringify(view.body)).not.toContain(secret);
  });
});
