import { afterAll, beforeAll, expect } from 'vitest';
import { type RtDrop, writeRtDrop } from './drops.js';
import { describeE2e, test } from './fixtures.js';
import { UploaderWindow } from './pages/uploader-window.js';

// The drop: a generated RT set with correct references (3 CT slices ← RTSTRUCT ← RTPLAN ←
// RTDOSE, plus an RTIMAGE; plan and structure set APPROVED) and one text file that must be
// ignored as not DICOM.
let drop: RtDrop;

beforeAll(async () => {
  drop = await writeRtDrop(
    { patientID: 'SITE-LOCAL-77', patientName: 'Doe^Jane', sex: 'F' },
    { 'notes.txt': 'scanner export notes, not an image\n' },
  );
});
afterAll(() => drop?.remove());

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
    await scan.addFiles(drop.files);

    expect(await scan.counter('files')).toBe(String(drop.files.length));
    expect(await scan.counter('dicom')).toBe(String(drop.files.length - 1));
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
    const mismatch = await writeRtDrop({ root: '1.2.826.0.1.3680043.10.1447.77', sex: 'M', birthDate: '19560314' });
    try {
      await logInAs('uploader');
      await pacs.goToEvent('S01-001', 'Planning');
      const uploader = await pacs.openUploader('Planning CT');
      const { page: popup, scan } = uploader;
      await uploader.connect();
      await scan.addFiles(mismatch.files);
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
      await mismatch.remove();
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
