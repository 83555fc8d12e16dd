import type { Locator, Page } from 'playwright-core';
import { UploaderWindow } from './uploader-window.js';

/** "Subjects/Events/DICOM" with its tabs, the Upload New dialog and the overwrite confirmation. */
export class PacsPage {
  readonly subjectsTable: Locator;
  readonly subjectRows: Locator;
  readonly eventsTable: Locator;
  readonly dicomTable: Locator;
  readonly toasts: Locator;
  readonly uploadDialog: Locator;
  readonly overwriteDialog: Locator;

  constructor(readonly page: Page) {
    this.subjectsTable = page.getByTestId('subjects-table');
    this.subjectRows = page.getByTestId('subjects-table-row');
    this.eventsTable = page.getByTestId('events-table');
    this.dicomTable = page.getByTestId('dicom-table');
    this.toasts = page.getByTestId('toast');
    this.uploadDialog = page.getByTestId('upload-dialog');
    this.overwriteDialog = page.getByTestId('overwrite-dialog');
  }

  /** Opens the page from the menu and waits for the first subjects. */
  async openFromMenu(): Promise<void> {
    await this.page.getByTestId('menu-subjects-events-dicom').click();
    await this.subjectRows.first().waitFor();
  }

  /** Types into the subject search. */
  async search(text: string): Promise<void> {
    await this.page.getByTestId('subject-search').fill(text);
  }

  /** The labels in the subject table, in order. */
  async subjectLabels(): Promise<string[]> {
    return this.subjectRows.locator('td:first-child').allTextContents();
  }

  /** Clicks the subject row with this label; the app shows a toast and the Events tab. */
  async pickSubject(label: string): Promise<void> {
    await this.subjectRows.filter({ has: this.page.locator('td:first-child', { hasText: label }) }).click();
    await this.eventsTable.waitFor();
  }

  /** Clicks the event row with this name; the app shows the DICOM tab. */
  async pickEvent(name: string): Promise<void> {
    await this.page.getByTestId('events-table-row').filter({ hasText: name }).first().click();
    await this.dicomTable.waitFor();
  }

  /** Opens "Upload and Assign DICOM Study". */
  async openUploadNew(): Promise<void> {
    await this.page.getByTestId('upload-new').click();
    await this.uploadDialog.getByTestId('upload-slots').waitFor();
  }

  /** Closes "Upload and Assign DICOM Study" with its Close button. */
  async closeUploadNew(): Promise<void> {
    await this.uploadDialog.getByTestId('upload-dialog-close').click();
    await this.uploadDialog.getByTestId('upload-slots').waitFor({ state: 'detached' });
  }

  /** The dialog row of a slot. */
  slotRow(label: string): Locator {
    return this.uploadDialog.getByTestId('upload-slots-row').filter({ hasText: label });
  }

  /** The command button of a slot in the dialog. */
  slotCommand(label: string): Locator {
    return this.slotRow(label).getByTestId('slot-command');
  }

  /** From anywhere in the Portal: the menu, then the subject's row, then the event's row (DICOM tab shown). */
  async goToEvent(subject: string, event: string): Promise<void> {
    await this.openFromMenu();
    await this.pickSubject(subject);
    await this.pickEvent(event);
  }

  /**
   * Upload New → the slot's command → the Uploader window, waited for until its slot overview has
   * loaded (Upload New is skipped when its dialog is already open). A filled slot asks first:
   * `confirmOverwrite` presses "Replace" in that confirmation.
   */
  async openUploader(slot: string, options: { confirmOverwrite?: boolean } = {}): Promise<UploaderWindow> {
    if (!(await this.uploadDialog.isVisible())) await this.openUploadNew();
    let opened: Promise<Page>;
    if (options.confirmOverwrite === true) {
      await this.slotCommand(slot).click();
      opened = this.page.context().waitForEvent('page');
      await this.overwriteDialog.getByTestId('overwrite-confirm').click();
    } else {
      opened = this.page.context().waitForEvent('page');
      await this.slotCommand(slot).click();
    }
    const uploader = new UploaderWindow(await opened);
    await uploader.waitForOverview();
    return uploader;
  }

  /**
   * Comes back to this Portal tab after the Uploader window closed. TanStack Query refetches on
   * `visibilitychange`, which headless Chromium does not fire on bringToFront, so this fires it as
   * the browser does when the user returns to the tab.
   */
  async returnFromUploader(): Promise<void> {
    await this.page.bringToFront();
    await this.page.evaluate('window.dispatchEvent(new Event("visibilitychange"))');
  }

  /** The DICOM tab's rows that mention this text (a Study Instance UID, a slot label). */
  dicomRows(text: string): Locator {
    return this.dicomTable.getByTestId('dicom-table-row').filter({ hasText: text });
  }

  // Slot management (issue 11): Assign Existing, slot history, Clear slot, the series expansion.

  /** The "Assign Existing DICOM Study" dialog. */
  get assignDialog(): Locator {
    return this.page.getByTestId('assign-dialog');
  }

  /** Opens "Assign Existing" and waits for the subject's stored studies to load. */
  async openAssignExisting(): Promise<void> {
    await this.page.getByTestId('assign-existing').click();
    await this.assignDialog.getByTestId('assign-slots').waitFor();
    await this.assignDialog
      .locator('[data-testid="assign-studies-row"], [data-testid="assign-studies-empty"]')
      .first()
      .waitFor();
  }

  /** The stored-study rows of the Assign Existing dialog that mention this text (a UID, a modality). */
  storedStudyRows(text: string): Locator {
    return this.assignDialog.getByTestId('assign-studies-row').filter({ hasText: text });
  }

  /**
   * In the open Assign Existing dialog: chooses the slot and the stored study, presses Assign;
   * a filled slot asks first, answered with `confirmOverwrite` (and its optional reason).
   */
  async assignExisting(
    slot: string,
    studyInstanceUid: string,
    options: { confirmOverwrite?: boolean; reason?: string } = {},
  ): Promise<void> {
    await this.assignDialog
      .getByTestId('assign-slots-row')
      .filter({ hasText: slot })
      .getByTestId('assign-choose-slot')
      .click();
    await this.storedStudyRows(studyInstanceUid).getByTestId('assign-choose-study').click();
    await this.assignDialog.getByTestId('assign-submit').click();
    if (options.confirmOverwrite === true) {
      const confirm = this.page.getByTestId('assign-confirm-dialog');
      if (options.reason !== undefined) await confirm.getByTestId('assign-reason').fill(options.reason);
      await confirm.getByTestId('assign-confirm').click();
    }
    await this.assignDialog.waitFor({ state: 'hidden' });
  }

  /** Expands the DICOM tab row of a slot into its series and returns the series rows. */
  async expandSeries(slot: string): Promise<Locator> {
    const row = this.dicomRows(slot);
    await row.getByTestId('dicom-expand').click();
    const series = this.dicomTable.getByTestId('series-table-row');
    await series.first().waitFor();
    return series;
  }

  /** The slot history dialog. */
  get historyDialog(): Locator {
    return this.page.getByTestId('history-dialog');
  }

  /** Opens the history of a slot from its DICOM tab row, or (for an empty slot) from Assign Existing. */
  async openSlotHistory(slot: string): Promise<Locator> {
    const row = this.dicomRows(slot);
    if ((await row.count()) > 0) {
      await row.getByTestId('slot-history').click();
    } else {
      await this.openAssignExisting();
      await this.assignDialog
        .getByTestId('assign-slots-row')
        .filter({ hasText: slot })
        .getByTestId('assign-slot-history')
        .click();
    }
    const rows = this.historyDialog.getByTestId('history-table-row');
    await this.historyDialog
      .locator('[data-testid="history-table-row"], [data-testid="history-empty"]')
      .first()
      .waitFor();
    return rows;
  }

  /** The Clear slot dialog of a slot's DICOM tab row, opened. */
  async openClearSlot(slot: string): Promise<Locator> {
    await this.dicomRows(slot).getByTestId('slot-clear').click();
    const dialog = this.page.getByTestId('clear-dialog');
    await dialog.getByTestId('clear-reason').waitFor();
    return dialog;
  }

  /**
   * Presses an "Export CSV" button (`export-subjects`, `export-events`, `export-studies`) and
   * returns the file's name and bytes as text (the UTF-8 byte order mark kept).
   */
  async exportCsv(
    testId: 'export-subjects' | 'export-events' | 'export-studies',
  ): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(testId).click()]);
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(await download.path());
    return { name: download.suggestedFilename(), text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
  }

  /**
   * Clicks a zip download link (`download-study` in a DICOM row, `download-series` in its
   * expansion) and returns the suggested file name and the bytes the browser saved.
   */
  async downloadZip(link: Locator): Promise<{ name: string; bytes: Uint8Array }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), link.click()]);
    const { readFile } = await import('node:fs/promises');
    return { name: download.suggestedFilename(), bytes: new Uint8Array(await readFile(await download.path())) };
  }
}
