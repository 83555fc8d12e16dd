import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/context.js';
import { scheduleEvent } from '../src/edc/schedule-service.js';
import { createStudy } from '../src/edc/study-service.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

const fixture = (name: string) => readFileSync(new URL(`./data/odm/${name}`, import.meta.url), 'utf8');
const OPENCLINICA = fixture('openclinica-rt-trial-metadata.xml');

interface Slot {
  label: string;
  modalities: string[];
  action: string;
  itemOid: string;
}
interface Event {
  studyEventOid: string;
  name: string;
  repeating: boolean;
  action: string;
  slots: Slot[];
}

describe(`CDISC ODM 1.3 import and export on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let study: FixtureStudy;
  let manager: TestClient;
  let freshStudyId: string;

  beforeAll(async () => {
    portal = await startPortal();
    study = await createFixtureStudy(portal);
    manager = new TestClient(portal.baseUrl);
    await manager.login(fixtureUsername('system_admin'), FIXTURE_PASSWORD);
    freshStudyId = (
      await createStudy(portal.context.db, portal.clock(), SYSTEM_ACTOR, {
        identifier: 'RT-2026',
        name: 'RT Trial',
        sponsor: 'Sponsor',
        protocolId: 'RT-2026-01',
      })
    ).id;
  });
  afterAll(async () => portal.stop());

  const preview = (studyId: string, odm: string) => manager.post(`/api/studies/${studyId}/odm/preview`, { odm });
  const apply = (studyId: string, odm: string) => manager.post(`/api/studies/${studyId}/odm/import`, { odm });
  const definitions = async (studyId: string) => (await manager.get(`/api/studies/${studyId}/event-definitions`)).body;
  const summary = (events: Event[]) =>
    events.map((e) => ({
      name: e.name,
      action: e.action,
      repeating: e.repeating,
      slots: e.slots.map((s) => [s.label, s.modalities.join(' '), s.action]),
    }));

  it('previews an OpenClinica 3.x metadata export without changing anything', async () => {
    const response = await preview(freshStudyId, OPENCLINICA);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      applied: false,
      studyOid: 'S_RTTRIAL',
      studyName: 'RT Trial 2026 & Imaging',
      metaDataVersionOid: 'v1.0.0',
      skippedEvents: [{ studyEventOid: 'SE_SCREENING', name: 'Screening' }],
      warnings: [],
    });
    expect(summary(response.body.events)).toEqual([
      {
        name: 'Planning',
        action: 'create',
        repeating: false,
        slots: [
          ['Planning CT', 'CT', 'create'],
          ['RT Structure Set', 'RTSTRUCT', 'create'],
          ['RT Plan + Dose', 'RTPLAN RTDOSE', 'create'],
        ],
      },
      { name: 'Follow-up', action: 'create', repeating: true, slots: [['Follow-up MR', 'MR', 'create']] },
    ]);
    expect(await definitions(freshStudyId)).toEqual([]);
  });

  it('imports the events and slots, and a re-import of the same file changes nothing', async () => {
    const first = await apply(freshStudyId, OPENCLINICA);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.applied).toBe(true);
    const imported = await definitions(freshStudyId);
    expect(
      imported.map((d: { name: string; repeating: boolean; slots: { label: string; modalities: string[] }[] }) => ({
        name: d.name,
        repeating: d.repeating,
        slots: d.slots.map((s) => `${s.label}:${s.modalities.join('+')}`),
      })),
    ).toEqual([
      {
        name: 'Planning',
        repeating: false,
        slots: ['Planning CT:CT', 'RT Structure Set:RTSTRUCT', 'RT Plan + Dose:RTPLAN+RTDOSE'],
      },
      { name: 'Follow-up', repeating: true, slots: ['Follow-up MR:MR'] },
    ]);

    const again = await apply(freshStudyId, OPENCLINICA);
    expect(again.status).toBe(200);
    const actions = (again.body.events as Event[]).flatMap((e) => [e.action, ...e.slots.map((s) => s.action)]);
    expect(new Set(actions)).toEqual(new Set(['unchanged']));
    expect(await definitions(freshStudyId)).toEqual(imported);
    const audit = await portal.context.db
      .selectFrom('auditLog')
      .select('detailsJson')
      .where('action', '=', 'odm.imported')
      .where('studyId', '=', freshStudyId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => JSON.parse(a.detailsJson))).toMatchObject([
      { eventsCreated: 2, slotsCreated: 4 },
      { eventsCreated: 0, eventsUpdated: 0, slotsCreated: 0, slotsUpdated: 0 },
    ]);
  });

  it('updates a changed label and modality in place and adds a new item, keyed by OID', async () => {
    const revised = OPENCLINICA.replace(
      '<TranslatedText>Follow-up MR</TranslatedText>',
      '<TranslatedText>Follow-up MRI</TranslatedText>',
    )
      .replace('<Alias Context="Courier:modalities" Name="MR"/>', '<Alias Context="Courier:modalities" Name="MR PT"/>')
      .replace(
        '<ItemRef ItemOID="I_RTIMA_REVIEW_COMMENT" OrderNumber="4" Mandatory="No"/>',
        '<ItemRef ItemOID="I_RTIMA_REVIEW_COMMENT" OrderNumber="4" Mandatory="No"/><ItemRef ItemOID="I_RTIMA_CBCT_DICOM" OrderNumber="5" Mandatory="No"/>',
      )
      .replace(
        '<CodeList OID="CL_SEX"',
        '<ItemDef OID="I_RTIMA_CBCT_DICOM" Name="CBCT" DataType="text" Length="64"><Question><TranslatedText>Cone-beam CT</TranslatedText></Question></ItemDef><CodeList OID="CL_SEX"',
      );
    const before = await definitions(freshStudyId);
    const response = await apply(freshStudyId, revised);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(summary(response.body.events)).toEqual([
      {
        name: 'Planning',
        action: 'unchanged',
        repeating: false,
        slots: [
          ['Planning CT', 'CT', 'unchanged'],
          ['RT Structure Set', 'RTSTRUCT', 'unchanged'],
          ['RT Plan + Dose', 'RTPLAN RTDOSE', 'unchanged'],
          ['Cone-beam CT', '', 'create'],
        ],
      },
      { name: 'Follow-up', action: 'unchanged', repeating: true, slots: [['Follow-up MRI', 'MR PT', 'update']] },
    ]);
    const after = await definitions(freshStudyId);
    const followUpBefore = before[1].slots[0];
    expect(after[1].slots).toEqual([{ ...followUpBefore, label: 'Follow-up MRI', modalities: ['MR', 'PT'] }]);
  });

  it('links the events and slots a study already has by name instead of duplicating them', async () => {
    const response = await apply(study.studyId, OPENCLINICA);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(summary(response.body.events)).toEqual([
      {
        name: 'Planning',
        action: 'link',
        repeating: false,
        slots: [
          ['Planning CT', 'CT', 'link'],
          ['RT Structure Set', 'RTSTRUCT', 'create'],
          ['RT Plan + Dose', 'RTPLAN RTDOSE', 'create'],
        ],
      },
      { name: 'Follow-up', action: 'link', repeating: true, slots: [['Follow-up MR', 'MR', 'create']] },
    ]);
    const planning = (await definitions(study.studyId)).find((d: { id: string }) => d.id === study.planningId);
    expect(planning.slots.map((s: { label: string }) => s.label)).toEqual([
      'Planning CT',
      'RT Plan',
      'RT Structure Set',
      'RT Plan + Dose',
    ]);
  });

  it.each([
    ['xxe-external-entity.xml', 'ODM_DOCTYPE_FORBIDDEN'],
    ['billion-laughs.xml', 'ODM_DOCTYPE_FORBIDDEN'],
    ['broken-ref.xml', 'ODM_BROKEN_REF'],
  ])('refuses %s with 400 and the code %s, changing nothing', async (name, code) => {
    const before = await definitions(freshStudyId);
    for (const send of [preview, apply]) {
      const response = await send(freshStudyId, fixture(name));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { odm: code } });
      expect(response.body.message).toMatch(/^the request is not valid: /);
    }
    expect(await definitions(freshStudyId)).toEqual(before);
  });

  it('refuses XML that is not well-formed with its line, a document that is not ODM, and one over the size bound', async () => {
    const broken = await preview(
      freshStudyId,
      '<?xml version="1.0"?>\n<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3">\n<Study>\n</ODM>',
    );
    expect(broken.body.details.odm).toBe('ODM_NOT_WELL_FORMED');
    expect(broken.body.message).toMatch(/line \d+/);
    const other = await preview(freshStudyId, '<html><body>not ODM</body></html>');
    expect([other.status, other.body.details.odm]).toEqual([400, 'ODM_NOT_ODM']);
    const huge = await preview(freshStudyId, `<ODM>${' '.repeat(5 * 1024 * 1024)}</ODM>`);
    expect([huge.status, huge.body.details.odm]).toEqual([400, 'ODM_TOO_LARGE']);
  });

  it('exports the assigned Study Instance UIDs as ODM ClinicalData that parses back, site-scoped', async () => {
    const db = portal.context.db;
    const followUpId = (await definitions(freshStudyId)).find((d: { name: string }) => d.name === 'Follow-up').id;
    // The fixture study's Follow-up got its OID from the import above; schedule two occurrences.
    const subjectIds = [study.subjectA, study.subjectB];
    const values: { eventId: string; slotId: string; uid: string }[] = [];
    const slotsOf = async (eventDefinitionId: string) =>
      db
        .selectFrom('slotDefinitions')
        .selectAll()
        .where('eventDefinitionId', '=', eventDefinitionId)
        .orderBy('position')
        .execute();
    const fixtureFollowUp = study.followUpId;
    const [mrSlot] = await slotsOf(fixtureFollowUp);
    const planningSlots = await slotsOf(study.planningId);
    for (const [index, subjectId] of subjectIds.entries()) {
      const eventId = index === 0 ? study.eventA : study.eventB;
      values.push({ eventId, slotId: planningSlots[0]!.id, uid: `2.25.${100 + index}` });
      values.push({ eventId, slotId: planningSlots[1]!.id, uid: `2.25.${200 + index}` });
      for (const occurrence of [1, 2]) {
        const scheduled = await scheduleEvent(db, portal.clock(), SYSTEM_ACTOR, study.studyId, subjectId, {
          eventDefinitionId: fixtureFollowUp,
        });
        expect(scheduled.occurrence).toBe(occurrence);
        values.push({ eventId: scheduled.id, slotId: mrSlot!.id, uid: `2.25.${300 + index * 10 + occurrence}` });
      }
    }
    for (const value of values) {
      await db
        .insertInto('slotValues')
        .values({
          scheduledEventId: value.eventId,
          slotDefinitionId: value.slotId,
          studyInstanceUid: value.uid,
          assignedAt: portal.clock().toISOString(),
          assignedBy: study.userIds.site_uploader,
          uploadId: null,
        })
        .execute();
    }
    expect(followUpId).toBeDefined();

    const response = await fetch(`${portal.baseUrl}/api/studies/${study.studyId}/odm/clinical-data`, {
      headers: { cookie: [...manager.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="FIX-01-clinical-data-/);
    const xml = await response.text();
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
    }).parse(xml);
    const odm = parsed.ODM[0];
    expect(odm).toMatchObject({ xmlns: 'http://www.cdisc.org/ns/odm/v1.3', ODMVersion: '1.3.2', FileType: 'Snapshot' });
    const clinical = odm.ClinicalData[0];
    expect([clinical.StudyOID, clinical.MetaDataVersionOID]).toEqual(['S_RTTRIAL', 'v1.0.0']);
    const subjectA = await db
      .selectFrom('subjects')
      .selectAll()
      .where('id', '=', study.subjectA)
      .executeTakeFirstOrThrow();
    const flat: string[] = [];
    for (const subject of clinical.SubjectData) {
      for (const event of subject.StudyEventData) {
        for (const form of event.FormData) {
          for (const group of form.ItemGroupData) {
            for (const item of group.ItemData) {
              flat.push(
                [
                  subject.SubjectKey,
                  event.StudyEventOID,
                  event.StudyEventRepeatKey,
                  form.FormOID,
                  group.ItemGroupOID,
                  item.ItemOID,
                  item.Value,
                ].join(' '),
              );
            }
          }
        }
      }
    }
    expect(clinical.SubjectData[0]['courier:Pseudonym']).toBe(subjectA.pseudonym);
    expect(flat).toEqual([
      'A-001 SE_PLANNING 1 F_RTIMAGING_V10 IG_RTIMA_UNGROUPED I_RTIMA_PLANNING_CT 2.25.100',
      // "RT Plan" was made by hand (no OIDs recorded): its OIDs derive from the names.
      'A-001 SE_PLANNING 1 F_PLANNING_DICOM IG_PLANNING_DICOM I_RT_PLAN 2.25.200',
      'A-001 SE_FOLLOWUP 1 F_FUIMAGING_V10 IG_FUIMA_UNGROUPED I_FUIMA_FOLLOWUP_MR 2.25.301',
      'A-001 SE_FOLLOWUP 2 F_FUIMAGING_V10 IG_FUIMA_UNGROUPED I_FUIMA_FOLLOWUP_MR 2.25.302',
      'B-001 SE_PLANNING 1 F_RTIMAGING_V10 IG_RTIMA_UNGROUPED I_RTIMA_PLANNING_CT 2.25.101',
      'B-001 SE_PLANNING 1 F_PLANNING_DICOM IG_PLANNING_DICOM I_RT_PLAN 2.25.201',
      'B-001 SE_FOLLOWUP 1 F_FUIMAGING_V10 IG_FUIMA_UNGROUPED I_FUIMA_FOLLOWUP_MR 2.25.311',
      'B-001 SE_FOLLOWUP 2 F_FUIMAGING_V10 IG_FUIMA_UNGROUPED I_FUIMA_FOLLOWUP_MR 2.25.312',
    ]);

    const uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const own = await fetch(`${portal.baseUrl}/api/studies/${study.studyId}/odm/clinical-data`, {
      headers: { cookie: [...uploader.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    const ownXml = await own.text();
    expect(ownXml).toContain('SubjectKey="A-001"');
    expect(ownXml).not.toContain('B-001');
    expect(ownXml).not.toContain('2.25.101');

    for (const [user, status] of [
      ['monitor', 200],
      ['outsider', 403],
    ] as const) {
      const client = new TestClient(portal.baseUrl);
      await client.login(fixtureUsername(user), FIXTURE_PASSWORD);
      const answer = await fetch(`${portal.baseUrl}/api/studies/${study.studyId}/odm/clinical-data`, {
        headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      expect([user, answer.status]).toEqual([user, status]);
    }
    const anonymous = await fetch(`${portal.baseUrl}/api/studies/${study.studyId}/odm/clinical-data`);
    expect(anonymous.status).toBe(401);
  });
});
