import type { Locator, Page } from 'playwright-core';

/** "My account" (`/account`): profile and roles, notification address, password, API tokens. */
export class AccountPage {
  readonly root: Locator;
  readonly username: Locator;
  readonly roleRows: Locator;
  readonly mailAddress: Locator;
  readonly tokenRows: Locator;
  readonly tokenCreated: Locator;
  readonly revokeDialog: Locator;
  readonly toasts: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('account-page');
    this.username = page.getByTestId('account-username');
    this.roleRows = page.getByTestId('account-roles-row');
    this.mailAddress = page.getByTestId('account-mail-address');
    this.tokenRows = page.getByTestId('tokens-table-row');
    this.tokenCreated = page.getByTestId('token-created');
    this.revokeDialog = page.getByTestId('token-revoke-dialog');
    this.toasts = page.getByTestId('toast');
  }

  /** Opens the page with "My account" in the header and waits until the address has loaded. */
  async openFromShell(): Promise<void> {
    await this.page.getByTestId('menu-account').click();
    await this.page.locator('[data-testid="account-mail-form"][data-state="loaded"]').waitFor();
  }

  /** The text of each cell of the roles table, row by row. */
  async roles(): Promise<string[][]> {
    const rows: string[][] = [];
    for (const row of await this.roleRows.all()) {
      rows.push((await row.locator('td').allTextContents()).map((text) => text.trim()));
    }
    return rows;
  }

  /** Types an address (empty: remove it), saves, and waits for "Saved.". */
  async setMailAddress(address: string): Promise<void> {
    await this.mailAddress.fill(address);
    await this.page.getByTestId('account-mail-save').click();
    await this.toasts.filter({ hasText: 'Saved.' }).first().waitFor();
  }

  /** Creates a token and returns its secret and the `courier login` line the page shows once. */
  async createToken(name: string): Promise<{ token: string; cliLine: string }> {
    await this.page.getByTestId('token-name').fill(name);
    await this.page.getByTestId('token-create').click();
    await this.tokenCreated.waitFor();
    const token = (await this.page.getByTestId('token-secret').textContent()) ?? '';
    const cliLine = (await this.page.getByTestId('token-cli-line').textContent()) ?? '';
    return { token, cliLine };
  }

  /** Presses "Copy command" of the new token and waits until the button says "Copied". */
  async copyCliLine(): Promise<void> {
    await this.page.getByTestId('token-cli-copy').click();
    await this.page.locator('[data-testid="token-cli-copy"][data-copied="true"]').waitFor();
  }

  /** The row of the token list with this name. */
  tokenRow(name: string): Locator {
    return this.tokenRows.filter({ hasText: name });
  }

  /** Clicks Revoke in a token's row (opens the confirmation). */
  async startRevoke(name: string): Promise<void> {
    await this.tokenRow(name).getByTestId('token-revoke').click();
    await this.revokeDialog.getByTestId('token-revoke-confirm').waitFor();
  }

  /** Confirms the revocation and waits until the row says "revoked". */
  async confirmRevoke(name: string): Promise<void> {
    await this.revokeDialog.getByTestId('token-revoke-confirm').click();
    await this.tokenRow(name).getByTestId('token-revoked').waitFor();
  }

  /** Fills and submits the password form (does not wait for the outcome). */
  async changePassword(current: string, next: string, repeat: string = next): Promise<void> {
    await this.page.getByTestId('account-current-password').fill(current);
    await this.page.getByTestId('account-new-password').fill(next);
    await this.page.getByTestId('account-repeat-password').fill(repeat);
    await this.page.getByTestId('account-password-save').click();
  }
}
