import type { Locator, Page } from 'playwright-core';

/** The Portal frame: header, active study, menu, language switch. */
export class Shell {
  readonly currentUser: Locator;
  readonly activeStudyName: Locator;
  readonly menuSubjectsEventsDicom: Locator;
  readonly menuSetup: Locator;
  readonly menuAudit: Locator;
  readonly sidebar: Locator;

  constructor(readonly page: Page) {
    this.currentUser = page.getByTestId('current-user');
    this.activeStudyName = page.getByTestId('active-study-name');
    this.menuSubjectsEventsDicom = page.getByTestId('menu-subjects-events-dicom');
    this.menuSetup = page.getByTestId('menu-setup');
    this.menuAudit = page.getByTestId('menu-audit');
    this.sidebar = page.locator('nav.sidebar');
  }

  /** Switches the language with the EN/DE buttons. */
  async setLanguage(language: 'en' | 'de'): Promise<void> {
    await this.page.getByTestId(`language-${language}`).first().click();
  }

  /** Logs out and waits for the login form. */
  async logOut(): Promise<void> {
    await this.page.getByTestId('logout').click();
    await this.page.getByTestId('login-form').waitFor();
  }
}
