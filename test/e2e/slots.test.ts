import { getString, readDicom, tag } from '@courier/dicom';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, expect } from 'vitest';
import { seriousViolations } from './axe.js';
import { type RtDrop, writeRtDrop } from './drops.js';
import { describeE2e, test } from './fixtures.js';

// Slot management (issue 11) in the DICOM tab. Data: the generated RT set, of which the CT series
// (3 slices) is uploaded for S01-002 into Planning / Planning CT; S01-002's Follow-up event (slot
// Follow-up MR) then gets that stored study with Assign Existing, and an admin clears it again.
let drop: RtDrop;

beforeAll(async () => {
  drop = await writeRtDrop({ patientID: 'SITE-LOCAL-41', patientName: 'Roe^Rita', sex: 'M' });
});
afterAll(() => drop?.remove());

describeE2e('slot management in the DICOM tab', () => {
  test('a stored study is assigned to a second event’s slot, shows its series, is cleared with a reason, and the history shows both', async ({
    logInAs,
    pacs,
    shell,
    screenshot,
  }) => {
    // axe-core on each new dialog and the expanded table: no serious or critical violation.
    const found: Record<string, unknown[]> = {};
    const scan = async (name: string) => {
      found[name] = await seriousViolations(pacs.page);
    };
    // 1. Upload the CT series into Planning / Planning CT (the existing Uploader flow).
    await logInAs('uploader');
    await pacs.goToEvent('S01-002', 'Planning');
    const uploader = await pacs.openUploader('Planning CT');
    await uploader.connect();
    await uploader.scan.addFiles(drop.files);
    await uploader.scan.selectAndAccept(() => uploader.scan.selectInTable('CT'));
    await uploader.upload.start();
    expect(await uploader.upload.outcome()).toEqual({ end: 'done', errors: [] });
    const uid = await uploader.upload.studyInstanceUid();
    expect(uid).toMatch(/^[0-9.]+$/);
    await uploader.upload.finish();
    await pacs.returnFromUploader();
    await pacs.dicomRows(uid).waitFor();
    await pacs.uploadDialog.getByTestId('upload-dialog-close').click();

    // 2. Follow-up: Assign Existing lists the stored study with its series; assign it to Follow-up MR.
    await pacs.goToEvent('S01-002', 'Follow-up');
    await pacs.page.getByTestId('dicom-table-empty').waitFor();
    await pacs.openAssignExisting();
    const stored = pacs.storedStudyRows(uid);
    await expect.poll(() => stored.textContent()).toContain('CT');
    expect(await stored.textContent()).toContain('CT (3)');
    expect(await stored.textContent()).toContain('Planning 1 / Planning CT');
    await pacs.assignDialog
      .getByTestId('assign-slots-row')
      .filter({ hasText: 'Follow-up MR' })
      .getByTestId('assign-choose-slot')
      .click();
    await stored.getByTestId('assign-choose-study').click();
    await screenshot('40-assign-existing-dialog');
    await scan('assign-dialog');
    await pacs.assignDialog.getByTestId('assign-submit').click();
    await pacs.assignDialog.waitFor({ state: 'hidden' });
    const row = pacs.dicomRows(uid);
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('Follow-up MR');
    expect(await row.getByTestId('dicom-how').textContent()).toBe('Assign Existing');
    // A site uploader assigns but may neither clear nor download (capability `download`).
    expect(await row.getByTestId('slot-clear').count()).toBe(0);
    expect(await row.getByTestId('download-study').count()).toBe(0);
    await expect.poll(() => pacs.toasts.allTextContents()).toContain('The study is assigned to slot Follow-up MR.');

    // The row expands into the study's series (number, modality, description, instances, time).
    const series = await pacs.expandSeries('Follow-up MR');
    expect(await series.count()).toBe(1);
    const cells = await series.first().locator('td').allTextContents();
    expect(cells[1]).toBe('CT');
    expect(cells[3]).toBe('3');
    expect(await row.getByTestId('dicom-expand').getAttribute('aria-expanded')).toBe('true');
    await screenshot('41-dicom-tab-series');
    await scan('series-expansion');

    // Assigning the same study to the same slot again is refused in the dialog.
    await pacs.openAssignExisting();
    await pacs.assignDialog
      .getByTestId('assign-slots-row')
      .filter({ hasText: 'Follow-up MR' })
      .getByTestId('assign-choose-slot')
      .click();
    await pacs.storedStudyRows(uid).getByTestId('assign-choose-study').click();
    await expect
      .poll(() => pacs.assignDialog.getByTestId('assign-hint').textContent())
      .toBe('Slot Follow-up MR already holds this study.');
    expect(await pacs.assignDialog.getByTestId('assign-submit').isDisabled()).toBe(true);
    await pacs.assignDialog.getByTestId('assign-close').click();

    // 3. An admin clears the slot: the reason is required.
    await shell.logOut();
    await logInAs('admin');
    await pacs.goToEvent('S01-002', 'Follow-up');
    // An admin may download the study and each series as a zip (the links of the downloads API).
    const download = pacs.dicomRows('Follow-up MR').getByTestId('download-study');
    expect(await download.getAttribute('href')).toMatch(new RegExp(`^/api/studies/[0-9a-f-]{36}/dicom/${uid}/zip$`));
    const adminSeries = await pacs.expandSeries('Follow-up MR');
    expect(await adminSeries.first().getByTestId('download-series').getAttribute('href')).toMatch(
      new RegExp(`^/api/studies/[0-9a-f-]{36}/dicom/${uid}/series/[0-9.]+/zip$`),
    );
    // The series zip, as the browser saves it: one member per instance, named by pseudonym and UIDs,
    // each a de-identified DICOM file of this study (the server tests compare the bytes with the store).
    const zip = await pacs.downloadZip(adminSeries.first().getByTestId('download-series'));
    expect(zip.name).toMatch(/\.zip$/);
    const members = Object.entries(unzipSync(zip.bytes));
    expect(members).toHaveLength(3);
    for (const [name, bytes] of members) {
      expect(name).toMatch(new RegExp(`^[^/]+/${uid.replaceAll('.', '\\.')}/[^/]+/[0-9.]+\\.dcm$`));
      expect(name).not.toContain('SITE-LOCAL-41');
      expect(name).not.toContain('Roe');
      const file = readDicom(bytes);
      const value = (group: number, element: number) => getString(file, file.dataSet, tag(group, element));
      expect(value(0x0020, 0x000d)).toBe(uid);
      expect(value(0x0010, 0x0020)).toBe(name.split('/')[0]);
      expect(name.endsWith(`/${value(0x0008, 0x0018)}.dcm`)).toBe(true);
    }
    const clear = await pacs.openClearSlot('Follow-up MR');
    expect(await clear.getByTestId('clear-confirm').isDisabled()).toBe(true);
    await clear.getByTestId('clear-reason').fill('Follow-up needs the MR, not the planning CT');
    await screenshot('42-clear-slot');
    await scan('clear-dialog');
    await clear.getByTestId('clear-confirm').click();
    await pacs.page.getByTestId('dicom-table-empty').waitFor();

    // 4. The history keeps both the assignment and the clear, with who, how and why.
    const history = await pacs.openSlotHistory('Follow-up MR');
    await expect.poll(() => history.count()).toBe(1);
    const entry = history.first();
    expect(await entry.getAttribute('data-end')).toBe('cleared');
    const text = (await entry.textContent()) ?? '';
    expect(text).toContain(uid);
    expect(text).toContain('Assign Existing');
    expect(await entry.getByTestId('history-reason').textContent()).toBe('Follow-up needs the MR, not the planning CT');
    await screenshot('43-slot-history');
    await scan('history-dialog');
    await pacs.historyDialog.getByTestId('history-close').click();

    // The stored study stays: Planning CT still holds it and Assign Existing still lists it.
    await expect.poll(() => pacs.storedStudyRows(uid).count()).toBe(1);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((name) => [name, []])));
    // An upload, two logins and three dialogs: more than the default minute on a busy machine.
  }, 180_000);
});

describeE2e('CSV export of the Portal tables', () => {
  test('the subjects, events and studies tables download as CSV with a BOM, a header and one line per row', async ({
    logInAs,
    pacs,
    portal,
  }) => {
    await portal.fillSlot({
      subject: 'S01-003',
      event: 'Planning',
      slot: 'RT Plan',
      studyInstanceUid: '1.2.826.0.1.3680043.8.498.44444444444444444444',
      by: 'uploader',
    });
    await logInAs('uploader');
    await pacs.openFromMenu();
    const subjects = await pacs.exportCsv('export-subjects');
    expect(subjects.name).toMatch(/^COURIER-DEMO-subjects-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(subjects.text.startsWith('\uFEFFSubject,')).toBe(true);
    const lines = subjects.text.slice(1).trimEnd().split('\r\n');
    // The site uploader sees the three subjects of S01 only.
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['S01-001', 'S01-002', 'S01-003']);

    await pacs.pickSubject('S01-003');
    const events = await pacs.exportCsv('export-events');
    expect(events.text.slice(1).trimEnd().split('\r\n').slice(1)).toEqual([
      expect.stringMatching(/^Baseline,1,/),
      expect.stringMatching(/^Planning,1,.*,1\/4$/),
      expect.stringMatching(/^Follow-up,1,/),
    ]);

    await pacs.pickEvent('Planning');
    await pacs.dicomRows('RT Plan').waitFor();
    const studies = await pacs.exportCsv('export-studies');
    const rows = studies.text.slice(1).trimEnd().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^RT Plan,RTPLAN,1\.2\.826\.0\.1\.3680043\.8\.498\.44444444444444444444,/);
  }, 120_000);
});
