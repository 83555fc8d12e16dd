import type { Locator, Page } from 'playwright-core';

/** The Uploader window opened by a slot command. */
export class UploaderWindow {
  readonly overview: Locator;
  readonly connectionStatus: Locator;
  readonly parameters: Locator;
  readonly loginPrompt: Locator;

  constructor(readonly page: Page) {
    this.overview = page.getByTestId('slot-overview');
    this.connectionStatus = page.getByTestId('connection-status');
    this.parameters = page.getByTestId('slot-parameters');
    this.loginPrompt = page.getByTestId('uploader-login-prompt');
  }

  /** Waits until the slot overview has loaded. */
  async waitForOverview(): Promise<void> {
    await this.page.locator('[data-testid="slot-overview"][data-state="loaded"]').waitFor();
  }

  /** One field of the overview: study, site, subject, event or item. */
  field(name: 'study' | 'site' | 'subject' | 'event' | 'item'): Locator {
    return this.page.getByTestId(`overview-${name}`);
  }

  /** Presses Connect and waits until the window says it is connected. */
  async connect(): Promise<void> {
    await this.page.getByTestId('uploader-connect').click();
    await this.page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
  }
}

/** The Uploader's scan area: Dropzone, counters, Ignored popup, series table and RT Series tree. */
export class ScanArea {
  readonly panel: Locator;
  readonly ignoredDialog: Locator;
  readonly detailsDialog: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('scan-panel');
    this.ignoredDialog = page.getByTestId('ignored-dialog');
    this.detailsDialog = page.getByTestId('details-dialog');
  }

  /** Picks files (as the "pick files" control does) and waits until the scan has ended. */
  async addFiles(paths: string[]): Promise<void> {
    await this.page.getByTestId('files-input').setInputFiles(paths);
    await this.page.locator('[data-testid="scan-panel"][data-state="scanned"]').waitFor();
  }

  /** A counter's text: files, dicom, ignored, studies, selected, size. */
  async counter(name: 'files' | 'dicom' | 'ignored' | 'studies' | 'selected' | 'size'): Promise<string> {
    return (await this.page.getByTestId(`count-${name}`).textContent()) ?? '';
  }

  /** Opens the Ignored popup. */
  async openIgnored(): Promise<void> {
    await this.page.getByTestId('ignored-button').click();
    await this.ignoredDialog.getByTestId('ignored-table').waitFor();
  }

  /** The series table row of a modality (column 3 is the modality). */
  seriesRow(modality: string): Locator {
    return this.page
      .getByTestId('series-table-row')
      .filter({ has: this.page.locator('td:nth-child(3)', { hasText: new RegExp(`^${modality}$`) }) });
  }

  /** Opens the Details popup of the series table row with this modality. */
  async openDetails(modality: string): Promise<void> {
    await this.seriesRow(modality).getByTestId('series-details').click();
    await this.detailsDialog.getByTestId('details-modality').waitFor();
  }

  /** Switches to the RT Series tab. */
  async openRtSeries(): Promise<void> {
    await this.page.getByTestId('tab-rt').click();
    await this.page.getByTestId('rt-tree').waitFor();
  }

  /** The tree node of a modality (the first drawn). */
  rtNode(modality: string): Locator {
    return this.page.locator(`[data-testid="rt-node"][data-modality="${modality}"]`).first();
  }

  /** Ticks the selection box of a modality's node in the RT tree. */
  async selectInTree(modality: string): Promise<void> {
    await this.rtNode(modality).locator(':scope > .rt-node [data-testid="series-select"]').click();
  }

  /** Selection status of a tree node: explicit, implied, none or missing. */
  async treeStatus(modality: string): Promise<string | null> {
    return this.rtNode(modality).getAttribute('data-status');
  }

  /** Opens the Issues popup (shown instead of Upload while checks block). */
  async openIssues(): Promise<Locator> {
    await this.page.getByTestId('issues-button').click();
    const dialog = this.page.getByTestId('issues-dialog');
    await dialog.getByTestId('issues-table').waitFor();
    return dialog;
  }

  /** Accepts every open warning in the Issues popup, one click at a time. */
  async acceptAllWarnings(dialog: Locator): Promise<void> {
    const buttons = dialog.getByTestId('issue-acknowledge');
    while ((await buttons.count()) > 0) {
      const before = await buttons.count();
      await buttons.first().click();
      // Accepting removes one button: the last of the previous list goes away.
      await buttons.nth(before - 1).waitFor({ state: 'detached' });
    }
  }
}

/** The upload step of the Uploader window: step counters, progress, errors, LogFile and Finish. */
export class UploadArea {
  readonly panel: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('upload-panel');
  }

  /** Presses "Upload" and waits until the upload step is shown. */
  async start(): Promise<void> {
    await this.page.getByTestId('upload-button').click();
    await this.panel.waitFor();
  }

  /** A step counter's text, e.g. "4/4": analysed, uploaded or verified. */
  async count(step: 'analysed' | 'uploaded' | 'verified'): Promise<string> {
    return (await this.page.getByTestId(`upload-count-${step}`).textContent()) ?? '';
  }

  /** Waits for the app's own end state: done (every file verified, the study assigned) or failed. */
  async waitForEnd(): Promise<'done' | 'failed'> {
    await this.page.locator('[data-testid="upload-panel"]:is([data-state="done"], [data-state="failed"])').waitFor({
      timeout: 60_000,
    });
    return (await this.panel.getAttribute('data-state')) as 'done' | 'failed';
  }

  /** The de-identified Study Instance UID the run reports when done. */
  async studyInstanceUid(): Promise<string> {
    return (await this.page.getByTestId('upload-done').getAttribute('data-study-uid')) ?? '';
  }

  /** The error table's rows as text (file, step, reason). */
  async errorRows(): Promise<string[]> {
    return this.page.getByTestId('upload-error-row').allTextContents();
  }

  /** Presses "LogFile" and returns the downloaded file's text. */
  async downloadLog(): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId('upload-logfile').click(),
    ]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
  }
}
