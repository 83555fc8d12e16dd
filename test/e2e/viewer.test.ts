import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { writeRtSet } from '../../bench/synthetic/rt-set.js';
import { describeE2e, test } from './fixtures.js';
import type { PacsPage } from './pages/pacs-page.js';
import { ScanArea, UploadArea, UploaderWindow } from './pages/uploader-window.js';
import { DetailsPreview, ViewerPage } from './pages/viewer-page.js';
import { countColour, greyLevels } from './png.js';

// The drop: bench/synthetic/rt-set.ts, an RT set with real geometry — 12 axial CT slices of
// 128×128 (a water cylinder with a bone ring in air, 1.25 mm apart, Image Position/Orientation and
// Pixel Spacing set), an RTSTRUCT with three circular ROIs (one contour per ROI per slice, ROI
// Display Colors 255/60/0, 255/120/0, 255/180/0), an RTPLAN and a 32×32×3 RTDOSE Gaussian around
// the isocentre. Patient sex and birth date match subject S01-001, so only modality warnings show.
const SLICES = 12;
const PTV_COLOUR = [255, 60, 0] as const;
let dropDir = '';
let dropFiles: string[] = [];

beforeAll(async () => {
  dropDir = await mkdtemp(join(tmpdir(), 'courier-e2e-viewer-'));
  dropFiles = writeRtSet(dropDir, {
    slices: SLICES,
    rows: 128,
    columns: 128,
    patientName: 'Doe^Jane',
    patientId: 'SITE-LOCAL-99',
    patientSex: 'F',
    patientBirthDate: '19560314',
  });
});
afterAll(async () => {
  if (dropDir !== '') await rm(dropDir, { recursive: true, force: true });
});

/**
 * Opens the Uploader on S01-001 / Planning / RT Dose and scans the drop; returns the window.
 */
async function openUploaderWithDrop(pacs: PacsPage, context: BrowserContext): Promise<{ popup: Page; scan: ScanArea }> {
  await pacs.openFromMenu();
  await pacs.pickSubject('S01-001');
  await pacs.pickEvent('Planning');
  await pacs.openUploadNew();
  const [popup] = await Promise.all([context.waitForEvent('page'), pacs.slotCommand('RT Dose').click()]);
  const uploader = new UploaderWindow(popup);
  await uploader.waitForOverview();
  await uploader.connect();
  const scan = new ScanArea(popup);
  await scan.addFiles(dropFiles);
  return { popup, scan };
}

describeE2e('the viewer', () => {
  test('the Details popup previews the middle CT slice from the dropped file, and the viewer shows the uploaded CT with contours, dose and scrolling', async ({
    logInAs,
    pacs,
    context,
    screenshot,
  }) => {
    await logInAs('uploader');
    const { popup, scan } = await openUploaderWithDrop(pacs, context);

    // Preview: decoded on the page before anything is uploaded.
    await scan.openDetails('CT');
    const preview = new DetailsPreview(popup);
    expect(await preview.settled()).toBe('ready');
    const previewPixels = await preview.pixels();
    expect(greyLevels(previewPixels)).toBeGreaterThan(3);
    await expect.poll(() => popup.getByTestId('series-preview-caption').textContent()).toContain(`of ${SLICES}`);
    await screenshot('30-uploader-details-preview', popup);
    await scan.detailsDialog.getByTestId('details-close').click();

    // Upload the RT set (RTDOSE selected: plan, structure set and CT come with it).
    await scan.openRtSeries();
    await scan.selectInTree('RTDOSE');
    await popup.locator('[data-testid="upload-button"], [data-testid="issues-button"]').first().waitFor();
    if ((await popup.getByTestId('issues-button').count()) > 0) {
      const issues = await scan.openIssues();
      await scan.acceptAllWarnings(issues);
      await issues.getByTestId('issues-close').click();
    }
    const upload = new UploadArea(popup);
    await upload.start();
    expect({ end: await upload.waitForEnd(), errors: await upload.errorRows() }).toEqual({ end: 'done', errors: [] });
    const studyUid = await upload.studyInstanceUid();
    await popup.close();

    // The viewer, opened with "View" on the DICOM tab's row of the assigned (de-identified) study,
    // reads everything through the Portal's DICOMweb.
    await pacs.page.bringToFront();
    await pacs.uploadDialog.getByTestId('upload-dialog-close').click();
    await pacs.page.evaluate('window.dispatchEvent(new Event("visibilitychange"))');
    const row = pacs.dicomTable.getByTestId('dicom-table-row').filter({ hasText: studyUid });
    const viewer = new ViewerPage(pacs.page);
    await viewer.openFromRow(row);
    await viewer.waitForImage();
    await expect.poll(() => viewer.page.getByTestId('viewer-study-uid').textContent()).toBe(studyUid);
    await expect.poll(() => viewer.seriesRows.count()).toBe(4);
    await expect.poll(() => viewer.rois.count()).toBe(3);
    // The middle slice first; three ROIs have a contour on every slice, and the dose covers it.
    expect(await viewer.sliceIndex()).toBe(Math.floor((SLICES - 1) / 2));
    await expect.poll(() => viewer.contoursDrawn()).toBe(3);
    await expect.poll(() => viewer.doseDrawn()).toBe(true);
    await screenshot('31-viewer-ct-contours-dose', pacs.page);

    // Without the wash the contour colours are exact: the PTV's orange is on the canvas.
    await viewer.showDose(false);
    await expect.poll(() => viewer.doseDrawn()).toBe(false);
    await viewer.preset('softTissue');
    await expect.poll(() => viewer.windowText()).toBe('W 400 / L 40');
    const pixels = await viewer.pixels();
    expect(greyLevels(pixels)).toBeGreaterThan(10);
    expect(countColour(pixels, PTV_COLOUR, 30)).toBeGreaterThan(50);

    // Scrolling: a key and the wheel change the slice; presets by key too.
    const before = await viewer.sliceIndex();
    await viewer.press('ArrowDown');
    await expect.poll(() => viewer.sliceIndex()).toBe(before + 1);
    await viewer.wheel(-2);
    await expect.poll(() => viewer.sliceIndex()).toBeLessThan(before + 1);
    await viewer.press('3');
    await expect.poll(() => viewer.windowText()).toBe('W 1500 / L -600');
    await screenshot('32-viewer-lung-window', pacs.page);
    // Left drag changes window and level (Cornerstone's WindowLevelTool).
    await viewer.drag(60, 40);
    await expect.poll(() => viewer.windowText()).not.toBe('W 1500 / L -600');

    // Back to where the viewer was opened from.
    await viewer.back();
    await row.waitFor();
    // Scan, upload of 15 files and the viewer take long on a loaded 2-core machine.
  }, 180_000);

  test('a study the user may not see is refused with a clear message, not an empty viewer', async ({
    logInAs,
    pacs,
    portal,
    screenshot,
  }) => {
    await logInAs('uploader');
    const viewer = new ViewerPage(pacs.page);
    const query = new URLSearchParams({ study: portal.seed.studyId, uid: '1.2.826.0.1.3680043.8.498.999999' });
    await viewer.open(portal.baseUrl, `/viewer?${query}`);
    await viewer.error.waitFor();
    expect(await viewer.state()).toBe('error');
    await expect.poll(() => viewer.error.textContent()).toBe('This study does not exist or you may not view it.');
    await screenshot('33-viewer-not-visible', pacs.page);
  });
});
