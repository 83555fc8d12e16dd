import type { Locator, Page } from 'playwright-core';

/** "Study set-up" with its tabs, and the audit log page. */
export class SetupPage {
  constructor(readonly page: Page) {}

  /** Opens the set-up page from the menu on one of its tabs. */
  async open(tab: 'sites' | 'users' | 'events' | 'enrolment' | 'notifications' | 'odm'): Promise<void> {
    await this.page.getByTestId('menu-setup').click();
    await this.page.getByTestId('setup-page').waitFor();
    await this.page.getByTestId(`tab-${tab}`).click();
  }

  /** Fills the fields (by test id) of a form and submits it, then waits for the "Saved." toast. */
  async submit(form: string, fields: Record<string, string>): Promise<void> {
    const scope = this.page.getByTestId(form);
    for (const [testId, value] of Object.entries(fields)) {
      const field = scope.getByTestId(testId);
      if ((await field.evaluate((element) => (element as unknown as { tagName: string }).tagName)) === 'SELECT')
        await field.selectOption({ label: value });
      else await field.fill(value);
    }
    const toasts = this.page.getByTestId('toast').filter({ hasText: 'Saved.' });
    const before = await toasts.count();
    await scope.locator('button[type="submit"]').click();
    await toasts.nth(before).waitFor();
  }

  /** The first-column texts of a table. */
  async firstColumn(table: string): Promise<string[]> {
    return this.page.getByTestId(`${table}-row`).locator('td:first-child').allTextContents();
  }

  /** A table's rows. */
  rows(table: string): Locator {
    return this.page.getByTestId(`${table}-row`);
  }
}
