import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type PortalApp } from '../src/app.js';
import { housekeeping } from '../src/housekeeping.js';
import { commitAndWait } from './commit-upload.js';
import { openUpload, sendBatch } from './dicom-upload.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { freePort, type ReceivedMail, type TestSmtpServer, testSmtpServer } from './smtp-harness.js';
import { TEST_BACKEND } from './test-database.js';

// Patient values of the source files (bench/synthetic/rt-set via dicom-upload.ts) and of the
// subject record: none may appear in a mail.
const FORBIDDEN = ['Doe^Jane', 'Doe', 'Jane', 'HOSP-4711', '19600101', '1960-01-01', '1960-05-01', '19600501'];
const CONTACTS = ['imaging@example.org', 'physics@example.org'];
const UPLOADER_MAIL = 'uploader@site-a.example.org';

describe(`mail notifications over a real SMTP server on loopback, ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let smtp: TestSmtpServer;
  let uploader: TestClient;
  let manager: TestClient;
  let admin: TestClient;
  let pseudonym: string;
  let rtPlanSlot: string;
  let seed = 40;

  beforeAll(async () => {
    smtp = await testSmtpServer(await freePort());
    await smtp.start();
    portal = await startPortal({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      publicUrl: 'https://courier.example.org',
      mailFrom: 'Courier <courier@example.org>',
      // The timer stays out of the way: each test runs the sender when it wants to.
      mailIntervalMs: 3_600_000,
      uploadTtlMs: 3_600_000,
    });
    fixture = await createFixtureStudy(portal);
    uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    manager = new TestClient(portal.baseUrl);
    await manager.login(fixtureUsername('study_manager'), FIXTURE_PASSWORD);
    admin = new TestClient(portal.baseUrl);
    await admin.login(fixtureUsername('admin'), FIXTURE_PASSWORD);
    const db = portal.context.db;
    pseudonym = (
      await db.selectFrom('subjects').select('pseudonym').where('id', '=', fixture.subjectA).executeTakeFirstOrThrow()
    ).pseudonym;
    rtPlanSlot = (
      await db.selectFrom('slotDefinitions').select('id').where('label', '=', 'RT Plan').executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await portal.stop();
    await smtp.stop();
  });

  /** Opens a session for a slot of subject A's Planning event and registers the manifest. */
  async function open(slotDefinitionId: string) {
    const target = { studyId: fixture.studyId, subjectId: fixture.subjectA, eventId: fixture.eventA, slotDefinitionId };
    return openUpload(uploader, target, { seed: seed++ });
  }

  async function upload(slotDefinitionId: string, overwrite = false) {
    const { id, set } = await open(slotDefinitionId);
    expect(
      (
        await sendBatch(
          uploader,
          id,
          set.files.map((f) => f.bytes),
        )
      ).status,
    ).toBe(200);
    const committed = await commitAndWait(uploader, id, { overwrite });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    return { id, set };
  }

  const outbox = () =>
    portal.context.db.selectFrom('mailOutbox').selectAll().orderBy('createdAt').orderBy('recipient').execute();

  function expectNoPatientValues(mail: ReceivedMail) {
    const text = mail.parsed.text ?? '';
    const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
    for (const body of [text, html, mail.parsed.subject ?? '']) {
      for (const value of FORBIDDEN) expect(body).not.toContain(value);
    }
  }

  it('is off by default: a commit queues nothing until a study manager switches it on', async () => {
    const settings = await manager.get(`/api/studies/${fixture.studyId}/notification-settings`);
    expect(settings.body).toMatchObject({ enabled: false, recipients: [], updatedAt: null });
    await upload(fixture.slotCt);
    expect(await outbox()).toEqual([]);

    expect((await uploader.request('PUT', '/api/me/mail-address', { email: UPLOADER_MAIL })).body).toEqual({
      email: UPLOADER_MAIL,
    });
    const updated = await manager.request('PUT', `/api/studies/${fixture.studyId}/notification-settings`, {
      enabled: true,
      recipients: ['Imaging@Example.org', CONTACTS[1]],
      kinds: ['slot.assigned', 'slot.overwritten', 'upload.failed'],
      notifyUploader: true,
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ enabled: true, recipients: CONTACTS, notifyUploader: true });
  });

  it('mails contacts and uploader once per commit: study, site, pseudonym, event, slot, UID, counts, who, when, link', async () => {
    const { id, set } = await upload(rtPlanSlot);
    const queued = await outbox();
    expect(queued.map((m) => [m.recipient, m.kind, m.status, m.uploadId])).toEqual(
      [...CONTACTS, UPLOADER_MAIL].sort().map((r) => [r, 'slot.assigned', 'pending', id]),
    );
    await portal.mailSender.runOnce();
    expect(smtp.received.flatMap((m) => m.to).sort()).toEqual([...CONTACTS, UPLOADER_MAIL].sort());
    expect((await outbox()).map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);

    const mail = smtp.received[0]!;
    expect(mail.parsed.subject).toBe(`[Courier FIX-01] RT Plan assigned — ${pseudonym}, Planning (site A)`);
    expect(mail.parsed.from?.value).toEqual([{ name: 'Courier', address: 'courier@example.org' }]);
    const link = `https://courier.example.org/pacs/subjects?tab=dicom&subject=${fixture.subjectA}&event=${fixture.eventA}`;
    const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
    for (const body of [mail.parsed.text ?? '', html]) {
      expect(body).toContain('FIX-01 — Fixture study');
      expect(body).toContain('A — Site A');
      expect(body).toContain(pseudonym);
      expect(body).toContain('Planning');
      expect(body).toContain('RT Plan');
      expect(body).toContain(set.studyInstanceUid);
      expect(body).toContain(`4 series, ${set.files.length} instances`);
      expect(body).toContain('site_uploader (site-uploader)');
      expect(body).toContain('2026-11-25 09:00 UTC');
    }
    expect(mail.parsed.text).toContain(`Open in the Portal: ${link}`);
    expect(html).toContain(`href="${link.replaceAll('&', '&amp;')}"`);
    for (const received of smtp.received) expectNoPatientValues(received);
  });

  it('keeps an overwrite mail while the SMTP server is down and delivers it exactly once when it is back, with two Portals sending', async () => {
    smtp.received.length = 0;
    await smtp.stop();
    const { set } = await upload(fixture.slotCt, true);
    await portal.mailSender.runOnce();
    const waiting = (await outbox()).filter((m) => m.kind === 'slot.overwritten');
    expect(waiting).toHaveLength(3);
    for (const mail of waiting) {
      expect(mail).toMatchObject({ kind: 'slot.overwritten', status: 'pending', attempts: 1 });
      expect(mail.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(Date.parse(mail.nextAttemptAt) - portal.clock().getTime()).toBe(30_000);
    }
    const listed = await admin.get(`/api/studies/${fixture.studyId}/mail-outbox?status=pending`);
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(3);
    expect(listed.body.items[0]).toMatchObject({ kind: 'slot.overwritten', attempts: 1, status: 'pending' });
    expect(listed.body.items[0].lastError).toMatch(/ECONNREFUSED|connect/i);
    expect((await manager.get(`/api/studies/${fixture.studyId}/mail-outbox`)).status).toBe(403);

    await smtp.start();
    await portal.mailSender.runOnce();
    expect(smtp.received).toEqual([]); // not due yet: the backoff holds

    portal.clock.advance(31_000);
    // A second Portal over the same database: both senders run at once and claim rows with a
    // conditional UPDATE, so each mail goes out once.
    const second: PortalApp = await buildApp(portal.context.config, {
      backend: portal.database.open(),
      clock: portal.clock,
    });
    try {
      await Promise.all([portal.mailSender.runOnce(), second.mailSender.runOnce(), second.mailSender.runOnce()]);
    } finally {
      await second.app.close();
    }
    expect(smtp.received.flatMap((m) => m.to).sort()).toEqual([...CONTACTS, UPLOADER_MAIL].sort());
    const ids = smtp.received.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).toBe(3);
    const done = (await outbox()).filter((m) => m.kind === 'slot.overwritten');
    expect(done.map((m) => [m.status, m.attempts, m.lastError])).toEqual([
      ['sent', 2, null],
      ['sent', 2, null],
      ['sent', 2, null],
    ]);
    const mail = smtp.received[0]!;
    expect(mail.parsed.subject).toBe(`[Courier FIX-01] Planning CT replaced — ${pseudonym}, Planning (site A)`);
    expect(mail.parsed.text).toContain(set.studyInstanceUid);
    expect(mail.parsed.text).toMatch(/Replaced Study Instance UID: +2\.25\./);
    for (const received of smtp.received) expectNoPatientValues(received);

    await portal.mailSender.runOnce();
    expect(smtp.received).toHaveLength(3);
  });

  it('mails an upload that expired uncommitted after instances arrived, once, and not an empty abandoned one', async () => {
    smtp.received.length = 0;
    const partial = await open(rtPlanSlot);
    expect(
      (await sendBatch(uploader, partial.id, [partial.set.files[0]!.bytes, partial.set.files[1]!.bytes])).status,
    ).toBe(200);
    const empty = await open(rtPlanSlot);
    portal.clock.advance(2 * 3_600_000);
    const swept = await housekeeping(portal.context.db, portal.clock());
    expect(swept.uploadsExpired).toBe(2);
    await portal.mailSender.runOnce();
    await portal.mailSender.runOnce();
    const failed = (await outbox()).filter((m) => m.kind === 'upload.failed');
    expect(failed.map((m) => [m.uploadId, m.status])).toEqual([
      [partial.id, 'sent'],
      [partial.id, 'sent'],
      [partial.id, 'sent'],
    ]);
    expect(failed.some((m) => m.uploadId === empty.id)).toBe(false);
    expect(smtp.received).toHaveLength(3);
    const mail = smtp.received[0]!;
    expect(mail.parsed.subject).toBe(`[Courier FIX-01] RT Plan upload failed — ${pseudonym}, Planning (site A)`);
    expect(mail.parsed.text).toContain(`2 of ${partial.set.files.length} instances received`);
    expect(mail.parsed.text).toContain(partial.set.studyInstanceUid);
    for (const received of smtp.received) expectNoPatientValues(received);
  });
});
