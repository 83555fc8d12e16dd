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
