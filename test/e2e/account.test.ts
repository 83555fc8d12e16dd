import { expect } from 'vitest';
import { seriousViolations } from './axe.js';
import { describeE2e, test } from './fixtures.js';
import { AccountPage } from './pages/account-page.js';

// "My account" as the demo site uploader (the role that had no page for its own settings): its
// roles, the notification address, the password, and a personal API token used as the CLI would
// (Authorization: Bearer, from this test, not from the page) until it is revoked.

describeE2e('my account', () => {
  test('a site uploader sees their roles and sets the address for their notifications', async ({
    logInAs,
    page,
    portal,
    screenshot,
  }) => {
    await logInAs('uploader');
    const account = new AccountPage(page);
    await account.openFromShell();
    await expect.poll(() => account.username.textContent()).toBe('uploader');
    expect(await account.roles()).toEqual([['COURIER-DEMO · Courier demo radiotherapy trial', 'Site uploader', 'S01']]);

    await account.setMailAddress('Site.Uploader@Example.org');
    // The Portal stores the address lower-cased; a reload shows what it stored.
    await page.reload();
    await page.locator('[data-testid="account-mail-form"][data-state="loaded"]').waitFor();
    await expect.poll(() => account.mailAddress.inputValue()).toBe('site.uploader@example.org');
    const stored = await portal.context.db
      .selectFrom('users')
      .select('email')
      .where('username', '=', 'uploader')
      .execute();
    expect(stored).toEqual([{ email: 'site.uploader@example.org' }]);
    await screenshot('34-my-account');

    // An address the browser's check (type="email") lets through but the Portal refuses (no domain
    // with a dot) is said so on the page, and the stored one stays.
    await account.mailAddress.fill('someone@localhost');
    await page.getByTestId('account-mail-save').click();
    await expect
      .poll(() => page.getByTestId('account-mail-invalid').textContent())
      .toBe('The Portal does not accept this address. Enter one address such as name@hospital.example.org.');
    expect(
      await portal.context.db.selectFrom('users').select('email').where('username', '=', 'uploader').execute(),
    ).toEqual([{ email: 'site.uploader@example.org' }]);
  });

  test('a token created on the page works as a Bearer token for GET /api/me until it is revoked', async ({
    context,
    logInAs,
    page,
    portal,
    screenshot,
  }) => {
    await logInAs('uploader');
    const account = new AccountPage(page);
    await account.openFromShell();
    const { token, cliLine } = await account.createToken('CT console PC');
    expect(token).toMatch(/^courier_pat_[\w-]{43}$/);
    expect(cliLine).toBe(`courier login --portal ${portal.baseUrl} --token ${token}`);
    await expect.poll(() => account.tokenRow('CT console PC').count()).toBe(1);
    // "Copy command" puts the whole courier login line on the clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.baseUrl });
    await account.copyCliLine();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(cliLine);
    await account.tokenCreated.scrollIntoViewIfNeeded();
    await screenshot('35-my-account-token');

    const me = () => fetch(`${portal.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    const answer = await me();
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ authenticatedBy: 'token', user: { username: 'uploader' } });

    // Closing the notice hides the secret for good; the list shows the token was used.
    await page.getByTestId('token-created-close').click();
    await page.reload();
    await account.tokenRow('CT console PC').waitFor();
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    await expect.poll(() => account.tokenRow('CT console PC').textContent()).not.toContain('never');

    await account.startRevoke('CT console PC');
    await account.confirmRevoke('CT console PC');
    const refused = await me();
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  test('the password is changed on the page and the new one logs in', async ({
    logInAs,
    login,
    page,
    portal,
    shell,
  }) => {
    await logInAs('monitor');
    const account = new AccountPage(page);
    await account.openFromShell();
    await account.changePassword(portal.password('monitor'), 'a new long password', 'another long password');
    await expect
      .poll(() => page.getByTestId('account-password-problem').textContent())
      .toBe('The two new passwords differ.');
    await account.changePassword('wrong password!', 'a new long password');
    await expect
      .poll(() => page.getByTestId('account-password-problem').textContent())
      .toBe('The current password is wrong.');
    await account.changePassword(portal.password('monitor'), 'a new long password');
    await account.toasts.filter({ hasText: 'Password changed.' }).first().waitFor();
    await shell.logOut();
    await login.logInHere('monitor', 'a new long password');
    await expect.poll(() => shell.currentUser.textContent()).toContain('Demo Monitor');
  });

  test('the account page, a new token and the revoke dialog have no serious or critical violations, in German too', async ({
    logInAs,
    page,
    shell,
  }) => {
    const found: Record<string, unknown[]> = {};
    await logInAs('uploader');
    const account = new AccountPage(page);
    await account.openFromShell();
    found.account = await seriousViolations(page);
    await account.createToken('axe');
    found.tokenCreated = await seriousViolations(page);
    await account.startRevoke('axe');
    found.revokeDialog = await seriousViolations(page);
    await account.revokeDialog.getByTestId('token-revoke-cancel').click();
    await shell.setLanguage('de');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Mein Konto');
    found.german = await seriousViolations(page);
    expect(found).toEqual({ account: [], tokenCreated: [], revokeDialog: [], german: [] });
  });
});
