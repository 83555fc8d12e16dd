import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { generateRtSet, writeFiles } from '../../packages/uploader/test/rt-set.js';
import { describeE2e, test } from './fixtures.js';
import { UploaderWindow } from './pages/uploader-window.js';

// The drop: a generated RT set with correct references (packages/uploader/test/rt-set.ts: 3 CT
// slices ← RTSTRUCT ← RTPLAN ← RTDOSE, plus an RTIMAGE; plan and structure set APPROVED) and one
// text file that must be ignored as not DICOM.
let dropDir = '';
let dropFiles: string[] = [];

beforeAll(async () => {
  dropDir = await mkdtemp(join(tmpdir(), 'courier-e2e-drop-'));
  const { files } = generateRtSet({ patientID: 'SITE-LOCAL-77', patientName: 'Doe^Jane', sex: 'F' });
  await writeFiles(dropDir, files);
  await writeFile(join(dropDir, 'notes.txt'), 'scanner export notes, not an image\n');
  dropFiles = [...files.map((f) => join(dropDir, f.path)), join(dropDir, 'notes.txt')];
});
afterAll(async () => {
  if (dropDir !== '') await rm(dropDir, { recursive: true, force: true });
});

describeE2e('the Uploader window scans a drop', () => {
  test('files are scanned in workers: counters, the Ignored popup, Details and RT Series selection', async ({
    logInAs,
    pacs,
    screenshot,
  }) => {
    await logInAs('uploader');
    await pacs.goToEvent('S01-001', 'Planning');
    const uploader = await pacs.openUploader('RT Dose');
    const { page: popup, scan } = uploader;
    await uploader.connect();
    await scan.addFiles(dropFiles);

    expect(await scan.counter('files')).toBe(String(dropFiles.length));
    expect(await scan.counter('dicom')).toBe(String(dropFiles.length - 1));
    expect(await scan.counter('ignored')).toBe('1');
    expect(await scan.counter('studies')).toBe('1');
    await screenshot('15-uploader-series', popup);

    await scan.openIgnored();
    const ignored = scan.ignoredDialog.getByTestId('ignored-table-row');
    expect(await ignored.count()).toBe(1);
    await expect.poll(() => ignored.locator('td').nth(0).textContent()).toBe('notes.txt');
    await expect.poll(() => ignored.locator('td').nth(1).textContent()).toBe('Not a DICOM file.');
    await screenshot('16-uploader-ignored', popup);
    await scan.ignoredDialog.getByTestId('ignored-close').click();

    await scan.openDetails('RTPLAN');
    await expect.poll(() => scan.detailsDialog.getByTestId('details-approval').textContent()).toBe('APPROVED');
    await screenshot('17-uploader-details', popup);
    await scan.detailsDialog.getByTestId('details-close').click();

    await scan.openRtSeries();
    await scan.selectInTree('RTDOSE');
    await expect.poll(() => scan.treeStatus('RTDOSE')).toBe('explicit');
    expect(await scan.treeStatus('RTPLAN')).toBe('implied');
    expect(await scan.treeStatus('RTSTRUCT')).toBe('implied');
    expect(await scan.treeStatus('CT')).toBe('implied');
    expect(await scan.treeStatus('RTIMAGE')).toBe('none');
    expect(await scan.counter('selected')).toBe('4');
    await screenshot('18-uploader-rt-series', popup);
  });
});

describeE2e('sanity checks in the Uploader window', () => {
  test('a sex mismatch shows Issues instead of Upload until the warning is accepted', async ({
    logInAs,
    pacs,
    screenshot,
  }) => {
    // S01-001 is F, born 1956-03-14 (demo seed); these files say M with the same birth date.
    const dir = await mkdtemp(join(tmpdir(), 'courier-e2e-sex-'));
    try {
      const { files } = generateRtSet({ root: '1.2.826.0.1.3680043.10.1447.77', sex: 'M', birthDate: '19560314' });
      await writeFiles(dir, files);
      await logInAs('uploader');
      await pacs.goToEvent('S01-001', 'Planning');
      const uploader = await pacs.openUploader('Planning CT');
      const { page: popup, scan } = uploader;
      await uploader.connect();
      await scan.addFiles(files.map((f) => join(dir, f.path)));
      await scan.selectInTable('CT');
      await popup.getByTestId('issues-button').waitFor();
      expect(await popup.getByTestId('upload-button').count()).toBe(0);
      expect(await scan.seriesRow('CT').getByTestId('series-details').getAttribute('data-flagged')).toBe('true');
      const issues = await scan.openIssues();
      expect(await issues.getByTestId('issues-table-row').filter({ hasText: /sex/i }).count()).toBe(1);
      await screenshot('20-uploader-issues', popup);
      await scan.acceptAllWarnings(issues);
      await issues.getByTestId('issues-close').click();
      await popup.getByTestId('upload-button').waitFor();
      expect(await popup.getByTestId('issues-button').count()).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describeE2e('the Uploader window without a Portal session', () => {
  test('asks to log in, opens the Portal login in a new tab, and connects after the login', async ({
    page,
    portal,
    screenshot,
  }) => {
    const path = await portal.uploaderPath({ subject: 'S01-002', event: 'Planning', slot: 'RT Plan' });
    await page.goto(portal.baseUrl + path);
    const uploader = new UploaderWindow(page);
    await uploader.loginPrompt.waitFor();
    await screenshot('19-uploader-login-prompt');
    await uploader.logInInNewTab('window', 'uploader', portal.password('uploader'));
    await uploader.connect();
    await uploader.waitForOverview();
    await expect.poll(() => uploader.field('item').textContent()).toBe('RT Plan');
    expect(await uploader.loginPrompt.count()).toBe(0);
  });
});
