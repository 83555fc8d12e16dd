import type { Locator, Page } from 'playwright-core';

/** The Portal's login form. */
export class LoginPage {
  readonly form: Locator;
  readonly error: Locator;

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    this.form = page.getByTestId('login-form');
    this.error = page.getByTestId('login-error');
  }

  /** Opens the login page and waits for the form. */
  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/login`);
    await this.form.waitFor();
  }

  /** Fills and submits the form (does not wait for the outcome). */
  async submit(username: string, password: string): Promise<void> {
    await this.page.getByTestId('login-username').fill(username);
    await this.page.getByTestId('login-password').fill(password);
    await this.page.getByTestId('login-submit').click();
  }

  /** Fills the form already open on this page, submits it and waits until the Portal shows the user. */
  async logInHere(username: string, password: string): Promise<void> {
    await this.form.waitFor();
    await this.submit(username, password);
    await this.page.getByTestId('current-user').waitFor();
  }

  /** Logs in and waits until the Portal shell shows the user. */
  async logIn(username: string, password: string): Promise<void> {
    await this.open();
    await this.submit(username, password);
    await this.page.getByTestId('current-user').waitFor();
  }
}
