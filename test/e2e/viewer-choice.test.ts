import { expect } from 'vitest';
import { type RtSet, rtSet } from '../../bench/synthetic/rt-set.js';
import { seriousViolations } from './axe.js';
import { describeE2e, test } from './fixtures.js';
import { ViewerPage } from './pages/viewer-page.js';
import type { E2ePortal } from './portal.js';

// A study with three structure sets and two doses over one CT: bench/synthetic/rt-set.ts three
// times. The second set (seed 2) shares the first's Study, CT series and Frame of Reference UIDs and
// has two ROIs instead of three; the third (seed 3) shares only the Study, so its RTSTRUCT lies in
// another Frame of Reference. Only the RTSTRUCTs (and the second RTDOSE) are stored beside the
// first set. The files
// go straight into the Portal's store and the study into a slot (portal.fillSlot): the upload
// itself is the viewer and upload specs' business, and this spec is about the choice.
const SLICES = 6;

async function storeStudy(portal: E2ePortal): Promise<{ first: RtSet; second: RtSet; elsewhere: RtSet }> {
  const geometry = { slices: SLICES, rows: 64, columns: 64, patientSex: 'F', patientBirthDate: '19560314' } as const;
  const first = rtSet({ ...geometry, seed: 1 });
  const second = rtSet({
    ...geometry,
    seed: 2,
    rois: 2,
    studyInstanceUID: first.uids.study,
    seriesInstanceUID: first.uids.ctSeries,
    frameOfReferenceUID: first.uids.frameOfReference,
  });
  const elsewhere = rtSet({ ...geometry, seed: 3, studyInstanceUID: first.uids.study });
  const put = (seriesInstanceUid: string, sopInstanceUid: string, bytes: Uint8Array) =>
    portal.context.store.put(
      { studyInstanceUid: first.uids.study, seriesInstanceUid, sopInstanceUid },
      (async function* () {
        yield bytes;
      })(),
    );
  const files = (set: RtSet, prefix: string) => set.files.filter((f) => f.name.startsWith(prefix));
  for (const [index, file] of files(first, 'CT').entries()) {
    await put(first.uids.ctSeries, first.uids.ctInstances[index]!, file.bytes);
  }
  for (const set of [first, second]) {
    await put(set.uids.structSeries, set.uids.struct, files(set, 'RS')[0]!.bytes);
    await put(set.uids.doseSeries, set.uids.dose, files(set, 'RD')[0]!.bytes);
  }
  await put(elsewhere.uids.structSeries, elsewhere.uids.struct, files(elsewhere, 'RS')[0]!.bytes);
  await portal.fillSlot({
    subject: 'S01-001',
    event: 'Planning',
    slot: 'RT Structure Set',
    studyInstanceUid: first.uids.study,
    by: 'uploader',
  });
  return { first, second, elsewhere };
}

describeE2e('the viewer with several structure sets and doses', () => {
  test('the user picks which structure set and which dose to overlay, and the address keeps the choice', async ({
    logInAs,
    page,
    portal,
    screenshot,
  }) => {
    const { first, second, elsewhere } = await storeStudy(portal);
    await logInAs('uploader');
    const viewer = new ViewerPage(page);
    const query = new URLSearchParams({ study: portal.seed.studyId, uid: first.uids.study });
    await viewer.open(portal.baseUrl, `/viewer?${query}`);
    await viewer.waitForImage();

    // Both of each are offered, told apart; the first (by series, then UID) is shown to begin with.
    expect(await viewer.overlayOptions('RTSTRUCT')).toHaveLength(3);
    expect(new Set(await viewer.overlayOptions('RTSTRUCT')).size).toBe(3);
    expect(await viewer.overlayOptions('RTDOSE')).toHaveLength(2);
    await expect.poll(() => viewer.overlayObject('RTSTRUCT')).toBe(first.uids.struct);
    await expect.poll(() => viewer.rois.count()).toBe(3);
    await expect.poll(() => viewer.contoursDrawn()).toBe(3);
    expect(await viewer.overlayObject('RTDOSE')).toBe(first.uids.dose);
    // The lists are labelled controls: axe finds nothing serious on the page.
    expect(await seriousViolations(page)).toEqual([]);

    // The second structure set: its two ROIs are listed and drawn; the address names it.
    await viewer.chooseOverlay('RTSTRUCT', second.uids.struct);
    await expect.poll(() => viewer.rois.count()).toBe(2);
    await expect.poll(() => viewer.contoursDrawn()).toBe(2);
    expect(new URL(page.url()).searchParams.get('rtstruct')).toBe(second.uids.struct);

    await viewer.chooseOverlay('RTDOSE', second.uids.dose);
    await expect.poll(() => viewer.doseDrawn()).toBe(true);
    expect(new URL(page.url()).searchParams.get('rtdose')).toBe(second.uids.dose);
    await screenshot('36-viewer-structure-set-choice');

    // A reload (or the link sent to a colleague) shows the same choice.
    await page.reload();
    await viewer.waitForImage();
    await expect.poll(() => viewer.overlayObject('RTSTRUCT')).toBe(second.uids.struct);
    expect(await viewer.overlayObject('RTDOSE')).toBe(second.uids.dose);
    await expect.poll(() => viewer.contoursDrawn()).toBe(2);
    await expect.poll(() => viewer.overlayChoice('RTSTRUCT').inputValue()).toBe(second.uids.struct);

    // A structure set in another Frame of Reference is not drawn over these images, and says why.
    await viewer.chooseOverlay('RTSTRUCT', elsewhere.uids.struct);
    await page.getByTestId('viewer-structures-elsewhere').waitFor();
    await expect.poll(() => viewer.contoursDrawn()).toBe(0);
    expect(await page.getByTestId('viewer-structures-elsewhere').textContent()).toContain('another Frame of Reference');

    // A stale link naming an object the study does not hold falls back to the first one.
    query.set('rtstruct', '1.2.826.0.1.3680043.8.498.1');
    await viewer.open(portal.baseUrl, `/viewer?${query}`);
    await viewer.waitForImage();
    await expect.poll(() => viewer.overlayObject('RTSTRUCT')).toBe(first.uids.struct);
    await expect.poll(() => viewer.contoursDrawn()).toBe(3);
    // Storing, loading Cornerstone and four overlay switches take long on a loaded 2-core machine.
  }, 150_000);
});
