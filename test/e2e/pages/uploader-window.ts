import type { Locator, Page } from 'playwright-core';
import { LoginPage } from './login-page.js';

/** The Uploader window opened by a slot command, with its scan area and its upload step. */
export class UploaderWindow {
  readonly overview: Locator;
  readonly connectionStatus: Locator;
  readonly parameters: Locator;
  readonly loginPrompt: Locator;
  readonly scan: ScanArea;
  readonly upload: UploadArea;

  constructor(readonly page: Page) {
    this.overview = page.getByTestId('slot-overview');
    this.connectionStatus = page.getByTestId('connection-status');
    this.parameters = page.getByTestId('slot-parameters');
    this.loginPrompt = page.getByTestId('uploader-login-prompt');
    this.scan = new ScanArea(page);
    this.upload = new UploadArea(page);
  }

  /**
   * Answers a login prompt: presses its "open the Portal login" button (the window's own prompt
   * before Connect, or the upload step's prompt mid-upload), logs in on the new tab and waits
   * until the Portal there shows the user. The Uploader window is left as it was.
   */
  async logInInNewTab(prompt: 'window' | 'upload', username: string, password: string): Promise<Page> {
    const button = prompt === 'window' ? 'uploader-open-login' : 'upload-open-login';
    const [tab] = await Promise.all([this.page.context().waitForEvent('page'), this.page.getByTestId(button).click()]);
    await new LoginPage(tab, new URL(this.page.url()).origin).logInHere(username, password);
    return tab;
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

  /**
   * Runs a selection, then accepts the sanity warnings it raises as a user would (Issues → accept
   * each → close), until "Upload" shows.
   */
  async selectAndAccept(select: () => Promise<void>): Promise<void> {
    await select();
    await this.page.locator('[data-testid="upload-button"], [data-testid="issues-button"]').first().waitFor();
    if ((await this.page.getByTestId('issues-button').count()) > 0) {
      const issues = await this.openIssues();
      await this.acceptAllWarnings(issues);
      await issues.getByTestId('issues-close').click();
    }
    await this.page.getByTestId('upload-button').waitFor();
  }

  /** Ticks the selection box of the series table row with this modality. */
  async selectInTable(modality: string): Promise<void> {
    await this.seriesRow(modality).getByTestId('series-select').check();
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
  async waitForEnd(timeout = 60_000): Promise<'done' | 'failed'> {
    await this.page
      .locator('[data-testid="upload-panel"]:is([data-state="done"], [data-state="failed"])')
      .waitFor({ timeout });
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

  /** Waits for the end and returns it with the error table's rows: `{ end: 'done', errors: [] }` is a clean run. */
  async outcome(timeout = 60_000): Promise<{ end: 'done' | 'failed'; errors: string[] }> {
    const end = await this.waitForEnd(timeout);
    return { end, errors: await this.errorRows() };
  }

  /** Presses "Retry" after a failed run and waits until the new run has started. */
  async retry(): Promise<void> {
    await this.page.getByTestId('upload-retry').click();
    await this.page.locator('[data-testid="upload-panel"]:not([data-state="failed"])').waitFor();
  }

  /** The fatal error the failed run shows (its message), '' when there is none. */
  async fatalMessage(): Promise<string> {
    const error = this.panel.getByTestId('upload-fatal');
    return (await error.count()) === 0 ? '' : ((await error.textContent()) ?? '');
  }

  /** Presses "Finish", which closes the window, and waits until it has closed. */
  async finish(): Promise<void> {
    const closed = this.page.waitForEvent('close');
    // The click's own wait may see the page go away, which is the point.
    await this.page
      .getByTestId('upload-finish')
      .click()
      .catch((error: unknown) => {
        if (!this.page.isClosed()) throw error;
      });
    await closed;
  }

  /** Every line of the downloaded log file, parsed. */
  async logEntries(): Promise<{ event: string; [key: string]: unknown }[]> {
    const log = await this.downloadLog();
    return log.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string });
  }

  /** The `event` of every line of the downloaded log file, in order. */
  async logEvents(): Promise<string[]> {
    const log = await this.downloadLog();
    return log.text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event: string }).event);
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
