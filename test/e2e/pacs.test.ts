import { expect } from 'vitest';
import { describeE2e, test } from './fixtures.js';

// Demo study (apps/server/src/demo/seed-demo.ts): sites S01 (subjects S01-001..003) and S02
// (S02-001..002); events Baseline, Planning (slots Planning CT, RT Structure Set, RT Plan, RT Dose)
// and Follow-up; user `uploader` is a site uploader at S01, `admin` a system administrator.

describeE2e('Subjects/Events/DICOM', () => {
  test('a site uploader sees only the subjects of their own site', async ({ logInAs, pacs }) => {
    await logInAs('uploader');
    await pacs.openFromMenu();
    expect(await pacs.subjectLabels()).toEqual(['S01-001', 'S01-002', 'S01-003']);
    await pacs.search('S02');
    await pacs.page.getByTestId('subjects-table-empty').waitFor();
  });

  test('the subject search narrows the table', async ({ logInAs, pacs }) => {
    await logInAs('admin');
    await pacs.openFromMenu();
    expect(await pacs.subjectLabels()).toHaveLength(5);
    await pacs.search('S02-00');
    await expect.poll(() => pacs.subjectLabels()).toEqual(['S02-001', 'S02-002']);
  });

  test('picking a subject announces the loaded events and shows them', async ({ logInAs, pacs, screenshot }) => {
    await logInAs('uploader');
    await pacs.openFromMenu();
    await screenshot('04-subjects');
    await pacs.pickSubject('S01-002');
    await pacs.toasts.first().waitFor();
    await expect.poll(() => pacs.toasts.first().textContent()).toBe('Events loaded: 3 for subject S01-002');
    const names = await pacs.page.getByTestId('events-table-row').locator('td:first-child').allTextContents();
    expect(names).toEqual(['Baseline', 'Planning', 'Follow-up']);
    await screenshot('05-events');
  });

  test('the DICOM tab of an event without uploads says so and Upload New lists the slots', async ({
    logInAs,
    pacs,
    screenshot,
  }) => {
    await logInAs('uploader');
    await pacs.goToEvent('S01-001', 'Planning');
    await pacs.page.getByTestId('dicom-table-empty').waitFor();
    await expect
      .poll(() => pacs.page.getByTestId('dicom-table-empty').textContent())
      .toBe('No DICOM study is assigned to this event yet.');
    await pacs.openUploadNew();
    const slots = await pacs.uploadDialog.getByTestId('upload-slots-row').locator('td:first-child').allTextContents();
    expect(slots).toEqual(['Planning CT', 'RT Structure Set', 'RT Plan', 'RT Dose']);
    await expect.poll(() => pacs.slotRow('RT Plan').getByTestId('slot-status').textContent()).toBe('empty');
    await expect.poll(() => pacs.slotCommand('RT Plan').textContent()).toBe('Upload');
    await screenshot('06-upload-new-dialog');
  });

  test('a slot command opens the Uploader in a new window showing the slot, and Connect connects', async ({
    logInAs,
    pacs,
    screenshot,
    portal,
  }) => {
    await logInAs('uploader');
    await pacs.goToEvent('S01-003', 'Planning');
    const uploader = await pacs.openUploader('RT Dose');
    const popup = uploader.page;
    const url = new URL(popup.url());
    expect(url.pathname).toBe('/uploader');
    expect([...url.searchParams.keys()].sort()).toEqual(['event', 'slot', 'study', 'subject']);
    expect(popup.url()).not.toContain('S01-003');
    await expect
      .poll(() => uploader.field('study').textContent())
      .toBe('COURIER-DEMO — Courier demo radiotherapy trial');
    await expect.poll(() => uploader.field('site').textContent()).toBe('S01 — University Hospital Alpha');
    await expect.poll(() => uploader.field('event').textContent()).toBe('Planning 1');
    await expect.poll(() => uploader.field('item').textContent()).toBe('RT Dose');
    const pseudonym = await uploader.field('subject').textContent();
    expect(pseudonym).toMatch(/^[A-Z0-9]{6,}$/);
    expect(popup.url()).not.toContain(pseudonym!);
    await screenshot('07-uploader-slot', popup);
    await uploader.connect();
    await uploader.parameters.waitFor();
    await expect.poll(() => popup.getByTestId('parameter-modalities').textContent()).toBe('RTDOSE');
    await screenshot('08-uploader-connected', popup);
    expect(portal.baseUrl).toBe(url.origin);
  });

  test('replacing a filled slot asks for confirmation first and cancelling opens nothing', async ({
    logInAs,
    pacs,
    portal,
    context,
    screenshot,
  }) => {
    const uid = '1.2.826.0.1.3680043.8.498.11111111111111111111';
    await portal.fillSlot({
      subject: 'S01-002',
      event: 'Planning',
      slot: 'Planning CT',
      studyInstanceUid: uid,
      by: 'uploader',
    });
    await logInAs('uploader');
    await pacs.goToEvent('S01-002', 'Planning');
    await pacs.dicomTable.getByTestId('dicom-table-row').waitFor();
    await expect.poll(() => pacs.dicomTable.getByTestId('dicom-table-row').textContent()).toContain(uid);
    await screenshot('09-dicom-tab');
    await pacs.openUploadNew();
    await expect.poll(() => pacs.slotRow('Planning CT').getByTestId('slot-status').textContent()).toBe('holds a study');
    await pacs.slotCommand('Planning CT').click();
    await pacs.overwriteDialog.getByTestId('overwrite-confirm').waitFor();
    await expect.poll(() => pacs.overwriteDialog.textContent()).toContain(uid);
    await screenshot('10-overwrite-confirmation');
    await pacs.overwriteDialog.getByTestId('overwrite-cancel').click();
    await pacs.overwriteDialog.getByTestId('overwrite-confirm').waitFor({ state: 'hidden' });
    expect(context.pages()).toHaveLength(1);
    const uploader = await pacs.openUploader('Planning CT', { confirmOverwrite: true });
    await expect.poll(() => uploader.field('item').textContent()).toBe('Planning CT');
  });
});
