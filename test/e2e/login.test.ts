import { expect } from 'vitest';
import { describeE2e, test } from './fixtures.js';

describeE2e('login and the Portal frame', () => {
  test('a demo user logs in and sees the active study above the menu', async ({ login, shell, portal, screenshot }) => {
    await login.open();
    await screenshot('01-login');
    await login.submit('uploader', portal.password('uploader'));
    await shell.currentUser.waitFor();
    await expect.poll(() => shell.activeStudyName.textContent()).toBe('COURIER-DEMO');
    await expect.poll(() => shell.sidebar.textContent()).toContain('PACS - medical imaging');
    await expect.poll(() => shell.menuSubjectsEventsDicom.textContent()).toBe('Subjects/Events/DICOM');
    await screenshot('02-home');
  });

  test('a wrong password shows a message and keeps the user on the login page', async ({ login, page }) => {
    await login.open();
    await login.submit('uploader', 'not-the-password');
    await login.error.waitFor();
    await expect.poll(() => login.error.textContent()).toBe('User name or password is wrong.');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  test('logging out returns to the login page and the Portal then asks for a login again', async ({
    logInAs,
    shell,
    page,
    portal,
  }) => {
    await logInAs('monitor');
    await shell.logOut();
    await page.goto(`${portal.baseUrl}/pacs`);
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/pacs');
  });

  test('the language switch turns the menu and the tabs German and back', async ({
    logInAs,
    shell,
    pacs,
    page,
    screenshot,
  }) => {
    await logInAs('uploader');
    await shell.setLanguage('de');
    await expect.poll(() => shell.menuSubjectsEventsDicom.textContent()).toBe('Probanden/Visiten/DICOM');
    await pacs.openFromMenu();
    await expect.poll(() => page.getByTestId('tab-subjects').textContent()).toBe('Probanden');
    await screenshot('03-subjects-de');
    await shell.setLanguage('en');
    await expect.poll(() => page.getByTestId('tab-subjects').textContent()).toBe('Subjects');
  });

  test('"change study" switches the active study shown above the menu', async ({ logInAs, shell, page, portal }) => {
    await portal.createStudy('SECOND-TRIAL', 'A second trial');
    await logInAs('admin');
    await expect.poll(() => shell.activeStudyName.textContent()).toBe('COURIER-DEMO');
    await page.getByTestId('change-study').click();
    await page.getByTestId('study-option').filter({ hasText: 'SECOND-TRIAL' }).click();
    await expect.poll(() => shell.activeStudyName.textContent()).toBe('SECOND-TRIAL');
    await page.reload();
    await shell.activeStudyName.waitFor();
    await expect.poll(() => shell.activeStudyName.textContent()).toBe('SECOND-TRIAL');
  });
});
