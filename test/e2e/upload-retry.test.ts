import { expect } from 'vitest';
import { writeRtDrop } from './drops.js';
import { describeE2e, test } from './fixtures.js';

// The drop: 250 generated CT slices, five batches of 50 (the engine's default), three in flight.
const CT_SLICES = 250;

describeE2e('Retry after a failed upload', () => {
  test('batches the Portal keeps dropping end the run with the error and "Retry"; after Retry the upload completes with every instance sent once and the slot holds the study', async ({
    logInAs,
    pacs,
    portal,
    screenshot,
  }) => {
    const drop = await writeRtDrop({ root: '1.2.826.0.1.3680043.10.1447.94', ctSlices: CT_SLICES });
    try {
      await logInAs('uploader');
      await pacs.goToEvent('S01-002', 'Planning');
      const uploader = await pacs.openUploader('Planning CT');
      const { page: popup, scan, upload } = uploader;
      await uploader.connect();
      await scan.addFiles(drop.files);
      await scan.selectAndAccept(() => scan.selectInTable('CT'));

      // After the first stored batch the Portal stops answering batch requests: each one's
      // connection is cut before any answer, through all of the engine's retries.
      const isBatch = (r: { method: string; url: string }) => r.method === 'POST' && r.url.includes('/instances');
      let down = false;
      let dropped = 0;
      let storedBatches = 0;
      portal.beforeRequest((request) => {
        if (!down || !isBatch(request)) return 'handle';
        dropped++;
        return 'drop';
      });
      portal.afterResponse(async (response) => {
        if (isBatch(response) && response.status === 200) {
          storedBatches++;
          down = true;
        }
      });

      await upload.start();
      expect(await upload.waitForEnd(90_000)).toBe('failed');
      const uploaded = Number((await upload.count('uploaded')).split('/')[0]);
      expect(uploaded).toBeGreaterThan(0);
      expect(uploaded).toBeLessThan(CT_SLICES);
      expect(await upload.count('verified')).toBe(`0/${CT_SLICES}`);
      // Retried before giving up: more requests were cut than there were batches left.
      expect(dropped).toBeGreaterThan(CT_SLICES / 50 - storedBatches);
      expect(await upload.fatalMessage()).not.toBe('');
      await popup.getByTestId('upload-retry-hint').waitFor();
      await popup.getByTestId('upload-retry').waitFor();
      expect(await popup.getByTestId('upload-finish').isDisabled()).toBe(true);
      await upload.panel.scrollIntoViewIfNeeded();
      await screenshot('26-uploader-upload-failed-retry', popup);

      // The Portal answers again; Retry resumes from what the upload session holds.
      down = false;
      await upload.retry();
      expect(await upload.outcome()).toEqual({ end: 'done', errors: [] });
      expect(await upload.count('uploaded')).toBe(`${CT_SLICES}/${CT_SLICES}`);
      expect(await upload.count('verified')).toBe(`${CT_SLICES}/${CT_SLICES}`);

      // Every instance went into exactly one stored batch, across both runs: nothing sent twice.
      const entries = await upload.logEntries();
      const sent = entries.filter((e) => e.event === 'batch').flatMap((e) => e.files as number[]);
      expect(sent).toHaveLength(CT_SLICES);
      expect(new Set(sent).size).toBe(CT_SLICES);
      expect(entries.filter((e) => e.event === 'batch').length).toBe(storedBatches);
      const resumed = entries.find((e) => e.event === 'resume');
      expect(resumed?.alreadyStored).toBe(uploaded);
      expect(resumed?.toSend).toBe(CT_SLICES - uploaded);
      expect(entries.map((e) => e.event)).toContain('retry');

      const uid = await upload.studyInstanceUid();
      expect(uid).toMatch(/^[0-9.]+$/);
      await upload.finish();
      await pacs.closeUploadNew();
      await pacs.dicomRows(uid).waitFor();
      await expect.poll(() => pacs.dicomRows(uid).textContent()).toContain('Planning CT');
    } finally {
      portal.beforeRequest(null);
      portal.afterResponse(null);
      await drop.remove();
    }
    // The engine's retries with backoff (up to ~15 s) come on top of an ordinary upload.
  }, 180_000);
});
