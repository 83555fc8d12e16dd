import type { Locator, Page } from 'playwright-core';

/** The "ODM import/export" tab of Study set-up. */
export class OdmPanel {
  readonly panel: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('odm-panel');
  }

  /** Picks an ODM file and asks for the preview; resolves when the result table shows. */
  async preview(path: string): Promise<void> {
    await this.panel.getByTestId('odm-file').setInputFiles(path);
    await this.panel.getByTestId('odm-preview').click();
    await this.panel.getByTestId('odm-result-table').waitFor();
  }

  /** Imports the previewed file; resolves on the "ODM imported." toast. */
  async import(): Promise<void> {
    await this.panel.getByTestId('odm-import').click();
    await this.page.getByTestId('toast').filter({ hasText: 'ODM imported.' }).waitFor();
  }

  /** The result table as `event` / `  slot` lines with their action, e.g. `  Planning CT — create`. */
  async plan(): Promise<string[]> {
    const rows = this.panel.getByTestId('odm-result-table').locator('tbody tr');
    const lines: string[] = [];
    for (const row of await rows.all()) {
      const isEvent = (await row.getAttribute('data-testid')) === 'odm-result-event';
      const cells = (await row.locator('th, td').allTextContents()).map((c) => c.trim());
      lines.push(isEvent ? `${cells[0]} — ${cells.at(-1)}` : `  ${cells[1]} — ${cells.at(-1)}`);
    }
    return lines;
  }

  /** The text of the summary line above the table. */
  summary(): Promise<string | null> {
    return this.panel.getByTestId('odm-result-summary').textContent();
  }

  /** The export link's address. */
  exportHref(): Promise<string | null> {
    return this.panel.getByTestId('odm-export').getAttribute('href');
  }
}
