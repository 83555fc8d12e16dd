import { afterAll, beforeAll, expect } from 'vitest';
import { type RtDrop, writeRtDrop } from './drops.js';
import { describeE2e, test } from './fixtures.js';

// The drop: the generated RT set (3 CT ← RTSTRUCT ← RTPLAN ← RTDOSE, plus an RTIMAGE) of a
// patient whose name and local ID must never reach the log file.
const PATIENT_NAME = 'Doe^Jane';
const PATIENT_ID = 'SITE-LOCAL-88';
let drop: RtDrop;

beforeAll(async () => {
  drop = await writeRtDrop({ patientID: PATIENT_ID, patientName: PATIENT_NAME, sex: 'F' });
});
afterAll(() => drop?.remove());

describeE2e('the Uploader window uploads', () => {
  test('the selected RT series are de-identified, uploaded, verified and assigned, the unfocused Portal tab shows the study at once, and the log holds no patient name', async ({
    logInAs,
    pacs,
    screenshot,
  }) => {
    await logInAs('uploader');
    await pacs.goToEvent('S01-001', 'Planning');
    await pacs.page.getByTestId('dicom-table-empty').waitFor();
    const uploader = await pacs.openUploader('RT Dose');
    const { page: popup, scan, upload } = uploader;
    await uploader.connect();
    await scan.addFiles(drop.files);
    await scan.openRtSeries();
    // Warnings (e.g. modalities beyond the slot's RTDOSE) are accepted as a user would.
    await scan.selectAndAccept(() => scan.selectInTree('RTDOSE'));
    expect(await scan.counter('selected')).toBe('4');

    await upload.start();
    expect(await upload.outcome()).toEqual({ end: 'done', errors: [] });
    // 3 CT + RTSTRUCT + RTPLAN + RTDOSE: the RTIMAGE was not selected.
    expect(await upload.count('analysed')).toBe('6/6');
    expect(await upload.count('uploaded')).toBe('6/6');
    expect(await upload.count('verified')).toBe('6/6');
    expect(await popup.getByTestId('upload-progress').getAttribute('value')).toBe('1');
    const uid = await upload.studyInstanceUid();
    expect(uid).toMatch(/^[0-9.]+$/);
    expect(uid).not.toBe(drop.uids.study);
    await upload.panel.scrollIntoViewIfNeeded();
    await screenshot('21-uploader-verified', popup);

    const log = await upload.downloadLog();
    expect(log.name).toMatch(/^courier-upload-.+\.log$/);
    const entries = log.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string });
    expect(entries.map((e) => e.event)).toContain('commit');
    expect(log.text).not.toContain('Doe');
    expect(log.text).not.toContain(PATIENT_ID);
    expect(log.text).not.toContain(drop.uids.study);

    // The Portal tab, still behind the Uploader window and never focused, already shows the new
    // study: the Uploader announced the assignment on the BroadcastChannel when it was committed.
    const row = pacs.dicomRows(uid);
    await row.waitFor();
    // The still open Upload New dialog refreshed too: the slot now holds a study.
    await expect.poll(() => pacs.slotRow('RT Dose').getByTestId('slot-status').textContent()).toBe('holds a study');
    await upload.finish();
    await pacs.closeUploadNew();
    await expect.poll(() => row.textContent()).toContain(uid);
    await expect.poll(() => row.textContent()).toContain('RT Dose');
    await screenshot('22-dicom-tab-after-upload');
  });
});

describeE2e('the upload survives a lost Portal session', () => {
  test('a session that ends before the upload shows the login prompt, and the upload completes after the login', async ({
    logInAs,
    pacs,
    portal,
    context,
    screenshot,
  }) => {
    await logInAs('uploader');
    await pacs.goToEvent('S01-003', 'Planning');
    const uploader = await pacs.openUploader('RT Dose');
    const { page: popup, scan, upload } = uploader;
    await uploader.connect();
    await scan.addFiles(drop.files);
    await scan.openRtSeries();
    await scan.selectAndAccept(() => scan.selectInTree('RTDOSE'));

    // The Portal session ends (cookie gone, as after an idle timeout): the engine's first request is refused.
    await context.clearCookies();
    await upload.start();
    await popup.getByTestId('upload-login-prompt').waitFor();
    expect(await upload.panel.getAttribute('data-state')).toBe('login');
    await screenshot('23-uploader-upload-login', popup);
    await uploader.logInInNewTab('upload', 'uploader', portal.password('uploader'));
    await popup.getByTestId('upload-reconnect').click();

    expect(await upload.outcome()).toEqual({ end: 'done', errors: [] });
    expect(await upload.count('verified')).toBe('6/6');
    const events = await upload.logEvents();
    expect(events).toContain('login-required');
    expect(events).toContain('login-resumed');
  });
});

describeE2e('the upload survives a session that ends between batches', () => {
  test('a session ended server-side after the first batch shows the login prompt mid-upload, and after the login every file is verified', async ({
    logInAs,
    pacs,
    portal,
    screenshot,
  }) => {
    // 250 CT slices: five batches of 50 (the engine's default), three in flight at once, so the
    // session ends while later batches and the commit are still to come.
    const many = await writeRtDrop({ root: '1.2.826.0.1.3680043.10.1447.93', ctSlices: 250 });
    try {
      await logInAs('uploader');
      await pacs.goToEvent('S01-003', 'Planning');
      const uploader = await pacs.openUploader('Planning CT');
      const { page: popup, scan, upload } = uploader;
      await uploader.connect();
      await scan.addFiles(many.files);
      await scan.selectAndAccept(() => scan.selectInTable('CT'));

      let expired = false;
      portal.afterResponse(async (request) => {
        if (expired || request.method !== 'POST' || !request.url.includes('/instances') || request.status >= 300)
          return;
        expired = true;
        await portal.expireSessions('uploader');
      });
      await upload.start();
      await popup.getByTestId('upload-login-prompt').waitFor();
      const uploaded = Number((await upload.count('uploaded')).split('/')[0]);
      expect(uploaded).toBeGreaterThan(0);
      expect(uploaded).toBeLessThan(250);
      await screenshot('25-uploader-session-ended-mid-upload', popup);

      await uploader.logInInNewTab('upload', 'uploader', portal.password('uploader'));
      await popup.getByTestId('upload-reconnect').click();
      expect(await upload.outcome()).toEqual({ end: 'done', errors: [] });
      expect(await upload.count('verified')).toBe('250/250');
      const entries = await upload.logEntries();
      const events = entries.map((e) => e.event);
      expect(events).toContain('login-required');
      expect(events).toContain('login-resumed');
      // No progress lost: every file went into exactly one stored batch, none again after the login.
      const sent = entries.filter((e) => e.event === 'batch').flatMap((e) => e.files as number[]);
      expect(sent).toHaveLength(250);
      expect(new Set(sent).size).toBe(250);
    } finally {
      portal.afterResponse(null);
      await many.remove();
    }
  });
});

describeE2e('replacing a filled slot from the Uploader', () => {
  test('the Uploader asks before replacing the study a slot holds, then commits the replacement', async ({
    logInAs,
    pacs,
    portal,
    screenshot,
  }) => {
    const previous = '1.2.826.0.1.3680043.8.498.22222222222222222222';
    await portal.fillSlot({
      subject: 'S01-002',
      event: 'Planning',
      slot: 'Planning CT',
      studyInstanceUid: previous,
      by: 'uploader',
    });
    await logInAs('uploader');
    await pacs.goToEvent('S01-002', 'Planning');
    const uploader = await pacs.openUploader('Planning CT', { confirmOverwrite: true });
    const { page: popup, scan, upload } = uploader;
    await uploader.connect();
    await scan.addFiles(drop.files);
    await scan.selectAndAccept(() => scan.selectInTable('CT'));

    await upload.start();
    const ask = popup.getByTestId('upload-overwrite');
    await ask.waitFor();
    await expect.poll(() => ask.textContent()).toContain(previous);
    // Nothing runs before the confirmation.
    expect(await upload.panel.getAttribute('data-state')).toBe('idle');
    await screenshot('24-uploader-overwrite', popup);
    await popup.getByTestId('upload-overwrite-confirm').click();
    expect(await upload.outcome()).toEqual({ end: 'done', errors: [] });
    expect(await upload.count('verified')).toBe('3/3');
    const uid = await upload.studyInstanceUid();
    expect(uid).not.toBe(previous);

    await upload.finish();
    await pacs.dicomRows(uid).waitFor();
    expect(await pacs.dicomRows(previous).count()).toBe(0);
  });
});
