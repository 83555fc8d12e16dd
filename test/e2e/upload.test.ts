import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { generateRtSet, writeFiles } from '../../packages/uploader/test/rt-set.js';
import { describeE2e, test } from './fixtures.js';
import { ScanArea, UploadArea, UploaderWindow } from './pages/uploader-window.js';

// The drop: the generated RT set (3 CT ← RTSTRUCT ← RTPLAN ← RTDOSE, plus an RTIMAGE) of a
// patient whose name and local ID must never reach the log file.
const PATIENT_NAME = 'Doe^Jane';
const PATIENT_ID = 'SITE-LOCAL-88';
let dropDir = '';
let dropFiles: string[] = [];
let originalStudyUid = '';

beforeAll(async () => {
  dropDir = await mkdtemp(join(tmpdir(), 'courier-e2e-upload-'));
  const { files, uids } = generateRtSet({ patientID: PATIENT_ID, patientName: PATIENT_NAME, sex: 'F' });
  await writeFiles(dropDir, files);
  dropFiles = files.map((f) => join(dropDir, f.path));
  originalStudyUid = uids.study;
});
afterAll(async () => {
  if (dropDir !== '') await rm(dropDir, { recursive: true, force: true });
});

describeE2e('the Uploader window uploads', () => {
  test('the selected RT series are de-identified, uploaded, verified and assigned; the log holds no patient name', async ({
    logInAs,
    pacs,
    context,
    screenshot,
  }) => {
    await logInAs('uploader');
    await pacs.openFromMenu();
    await pacs.pickSubject('S01-001');
    await pacs.pickEvent('Planning');
    await pacs.page.getByTestId('dicom-table-empty').waitFor();
    await pacs.openUploadNew();
    const [popup] = await Promise.all([context.waitForEvent('page'), pacs.slotCommand('RT Dose').click()]);
    const uploader = new UploaderWindow(popup);
    await uploader.waitForOverview();
    await uploader.connect();
    const scan = new ScanArea(popup);
    await scan.addFiles(dropFiles);
    await scan.openRtSeries();
    await scan.selectInTree('RTDOSE');
    await expect.poll(() => scan.counter('selected')).toBe('4');
    // Warnings (e.g. modalities beyond the slot's RTDOSE) are accepted as a user would.
    await popup.locator('[data-testid="upload-button"], [data-testid="issues-button"]').first().waitFor();
    if ((await popup.getByTestId('issues-button').count()) > 0) {
      const issues = await scan.openIssues();
      await scan.acceptAllWarnings(issues);
      await issues.getByTestId('issues-close').click();
    }

    const upload = new UploadArea(popup);
    await upload.start();
    const end = await upload.waitForEnd();
    expect({ end, errors: await upload.errorRows() }).toEqual({ end: 'done', errors: [] });
    // 3 CT + RTSTRUCT + RTPLAN + RTDOSE: the RTIMAGE was not selected.
    expect(await upload.count('analysed')).toBe('6/6');
    expect(await upload.count('uploaded')).toBe('6/6');
    expect(await upload.count('verified')).toBe('6/6');
    expect(await popup.getByTestId('upload-progress').getAttribute('value')).toBe('1');
    const uid = await upload.studyInstanceUid();
    expect(uid).toMatch(/^[0-9.]+$/);
    expect(uid).not.toBe(originalStudyUid);
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
    expect(log.text).not.toContain(originalStudyUid);

    // Finish closes the window: the click's own wait may see the page go away, which is the point.
    const closed = popup.waitForEvent('close');
    await popup
      .getByTestId('upload-finish')
      .click()
      .catch((error: unknown) => {
        if (!popup.isClosed()) throw error;
      });
    await closed;
    // Back on the Portal page: the DICOM tab refreshes when the page gets the focus back. TanStack
    // Query listens to visibilitychange on window, which headless Chromium does not fire on bringToFront, so
    // the test fires it as the browser does when the user returns to the tab.
    await pacs.page.bringToFront();
    await pacs.page.evaluate('window.dispatchEvent(new Event("visibilitychange"))');
    const row = pacs.dicomTable.getByTestId('dicom-table-row');
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain(uid);
    await expect.poll(() => row.textContent()).toContain('RT Dose');
    await screenshot('22-dicom-tab-after-upload');
  });
});

/** Selects series in the scan area and accepts the sanity warnings as a user would, until Upload shows. */
async function selectAndAccept(popup: Page, scan: ScanArea, select: () => Promise<void>): Promise<void> {
  await select();
  await popup.locator('[data-testid="upload-button"], [data-testid="issues-button"]').first().waitFor();
  if ((await popup.getByTestId('issues-button').count()) > 0) {
    const issues = await scan.openIssues();
    await scan.acceptAllWarnings(issues);
    await issues.getByTestId('issues-close').click();
  }
  await popup.getByTestId('upload-button').waitFor();
}

describeE2e('the upload survives a lost Portal session', () => {
  test('a session that ends before the upload shows the login prompt, and the upload completes after the login', async ({
    logInAs,
    pacs,
    portal,
    context,
    screenshot,
  }) => {
    await logInAs('uploader');
    await pacs.openFromMenu();
    await pacs.pickSubject('S01-003');
    await pacs.pickEvent('Planning');
    await pacs.openUploadNew();
    const [popup] = await Promise.all([context.waitForEvent('page'), pacs.slotCommand('RT Dose').click()]);
    const uploader = new UploaderWindow(popup);
    await uploader.waitForOverview();
    await uploader.connect();
    const scan = new ScanArea(popup);
    await scan.addFiles(dropFiles);
    await scan.openRtSeries();
    await selectAndAccept(popup, scan, () => scan.selectInTree('RTDOSE'));

    // The Portal session ends (cookie gone, as after an idle timeout): the engine's first request is refused.
    await context.clearCookies();
    const upload = new UploadArea(popup);
    await upload.start();
    await popup.getByTestId('upload-login-prompt').waitFor();
    expect(await upload.panel.getAttribute('data-state')).toBe('login');
    await screenshot('23-uploader-upload-login', popup);
    const [loginTab] = await Promise.all([
      context.waitForEvent('page'),
      popup.getByTestId('upload-open-login').click(),
    ]);
    await loginTab.getByTestId('login-form').waitFor();
    await loginTab.getByTestId('login-username').fill('uploader');
    await loginTab.getByTestId('login-password').fill(portal.password('uploader'));
    await loginTab.getByTestId('login-submit').click();
    await loginTab.getByTestId('current-user').waitFor();
    await popup.getByTestId('upload-reconnect').click();

    expect({ end: await upload.waitForEnd(), errors: await upload.errorRows() }).toEqual({ end: 'done', errors: [] });
    expect(await upload.count('verified')).toBe('6/6');
    const log = await upload.downloadLog();
    const events = log.text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toContain('login-required');
    expect(events).toContain('login-resumed');
  });
});

describeE2e('replacing a filled slot from the Uploader', () => {
  test('the Uploader asks before replacing the study a slot holds, then commits the replacement', async ({
    logInAs,
    pacs,
    portal,
    context,
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
    await pacs.openFromMenu();
    await pacs.pickSubject('S01-002');
    await pacs.pickEvent('Planning');
    await pacs.openUploadNew();
    await pacs.slotCommand('Planning CT').click();
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      pacs.page.getByTestId('overwrite-confirm').click(),
    ]);
    const uploader = new UploaderWindow(popup);
    await uploader.waitForOverview();
    await uploader.connect();
    const scan = new ScanArea(popup);
    await scan.addFiles(dropFiles);
    await selectAndAccept(popup, scan, () => scan.seriesRow('CT').getByTestId('series-select').check());

    const upload = new UploadArea(popup);
    await upload.start();
    const ask = popup.getByTestId('upload-overwrite');
    await ask.waitFor();
    await expect.poll(() => ask.textContent()).toContain(previous);
    // Nothing runs before the confirmation.
    expect(await upload.panel.getAttribute('data-state')).toBe('idle');
    await screenshot('24-uploader-overwrite', popup);
    await popup.getByTestId('upload-overwrite-confirm').click();
    expect({ end: await upload.waitForEnd(), errors: await upload.errorRows() }).toEqual({ end: 'done', errors: [] });
    expect(await upload.count('verified')).toBe('3/3');
    const uid = await upload.studyInstanceUid();
    expect(uid).not.toBe(previous);

    const closed = popup.waitForEvent('close');
    await popup
      .getByTestId('upload-finish')
      .click()
      .catch((error: unknown) => {
        if (!popup.isClosed()) throw error;
      });
    await closed;
    await pacs.page.bringToFront();
    await pacs.page.evaluate('window.dispatchEvent(new Event("visibilitychange"))');
    await pacs.dicomTable.getByTestId('dicom-table-row').filter({ hasText: uid }).waitFor();
    expect(await pacs.dicomTable.getByTestId('dicom-table-row').filter({ hasText: previous }).count()).toBe(0);
  });
});
