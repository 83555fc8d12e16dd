import { afterAll, beforeAll, expect } from 'vitest';
import { type AxeViolation, seriousViolations } from './axe.js';
import { type RtDrop, writeRtDrop } from './drops.js';
import { describeE2e, test } from './fixtures.js';

// axe-core (WCAG 2.x A/AA rules and best practices) on every page and dialog of the workflow; a
// serious or critical violation fails. The drop: the generated RT set of a male patient (S01-001
// is female), so the Issues popup is scanned too, plus one text file for the Ignored popup.
let drop: RtDrop;

beforeAll(async () => {
  drop = await writeRtDrop(
    { root: '1.2.826.0.1.3680043.10.1447.91', sex: 'M', birthDate: '19560314' },
    { 'readme.txt': 'not an image\n' },
  );
});
afterAll(() => drop?.remove());

describeE2e('accessibility (axe-core)', () => {
  test('the Portal pages and dialogs of the workflow have no serious or critical violations', {
    timeout: 180_000,
  }, async ({ login, logInAs, pacs, portal, page }) => {
    const found: Record<string, AxeViolation[]> = {};
    const scan = async (name: string) => {
      found[name] = await seriousViolations(page);
    };
    await portal.fillSlot({
      subject: 'S01-002',
      event: 'Planning',
      slot: 'Planning CT',
      studyInstanceUid: '1.2.826.0.1.3680043.8.498.33333333333333333333',
      by: 'uploader',
    });
    await login.open();
    await scan('login');
    await logInAs('uploader');
    await scan('home');
    await pacs.openFromMenu();
    await scan('subjects');
    await pacs.pickSubject('S01-002');
    await pacs.toasts.first().waitFor();
    await scan('events');
    await pacs.pickEvent('Planning');
    await pacs.dicomTable.getByTestId('dicom-table-row').waitFor();
    await scan('dicom');
    await pacs.openUploadNew();
    await scan('upload-new-dialog');
    await pacs.slotCommand('Planning CT').click();
    await pacs.overwriteDialog.getByTestId('overwrite-confirm').waitFor();
    await scan('overwrite-dialog');
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((name) => [name, []])));
  });

  test('the Uploader window, its popups and the upload step have no serious or critical violations', {
    timeout: 180_000,
  }, async ({ logInAs, pacs }) => {
    await logInAs('uploader');
    await pacs.goToEvent('S01-001', 'Planning');
    const uploader = await pacs.openUploader('Planning CT');
    const { page, scan, upload } = uploader;
    const found: Record<string, AxeViolation[]> = {};
    const check = async (name: string) => {
      found[name] = await seriousViolations(page);
    };
    await check('overview');
    await uploader.connect();
    await check('connected');
    await scan.addFiles(drop.files);
    await check('series-table');
    await scan.openIgnored();
    await check('ignored-dialog');
    await scan.ignoredDialog.getByTestId('ignored-close').click();
    await scan.openDetails('CT');
    await check('details-dialog');
    await scan.detailsDialog.getByTestId('details-close').click();
    await scan.selectInTable('CT');
    const issues = await scan.openIssues();
    await check('issues-dialog');
    await scan.acceptAllWarnings(issues);
    await issues.getByTestId('issues-close').click();
    await scan.openRtSeries();
    await check('rt-series');
    await upload.start();
    expect(await upload.outcome()).toEqual({ end: 'done', errors: [] });
    await check('upload-done');
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((name) => [name, []])));
  });

  test('study set-up and the audit log have no serious or critical violations', { timeout: 180_000 }, async ({
    logInAs,
    page,
  }) => {
    const found: Record<string, AxeViolation[]> = {};
    await logInAs('admin');
    await page.getByTestId('menu-setup').click();
    await page.getByTestId('setup-page').waitFor();
    for (const tab of ['sites', 'users', 'events', 'enrolment']) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.locator(`[data-testid="tab-${tab}"][aria-selected="true"]`).waitFor();
      found[`setup-${tab}`] = await seriousViolations(page);
    }
    await page.getByTestId('menu-audit').click();
    await page.getByTestId('audit-table-row').first().waitFor();
    found.audit = await seriousViolations(page);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((name) => [name, []])));
  });
});
