import type { Locator, Page } from 'playwright-core';

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

  /** The dialog row of a slot. */
  slotRow(label: string): Locator {
    return this.uploadDialog.getByTestId('upload-slots-row').filter({ hasText: label });
  }

  /** The command button of a slot in the dialog. */
  slotCommand(label: string): Locator {
    return this.slotRow(label).getByTestId('slot-command');
  }
}
