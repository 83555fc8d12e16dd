import { expect } from 'vitest';
import { describeE2e, test } from './fixtures.js';
import { SetupPage } from './pages/setup-page.js';

describeE2e('study set-up and audit log', () => {
  test('an admin adds a site and sees it listed', async ({ logInAs, page, screenshot }) => {
    const setup = new SetupPage(page);
    await logInAs('admin');
    await setup.open('sites');
    await setup.submit('site-form', { 'site-code': 'S03', 'site-name': 'Regional Hospital Gamma' });
    await expect.poll(() => setup.firstColumn('sites-table')).toEqual(['S01', 'S02', 'S03']);
    await screenshot('11-setup-sites');
  });

  test('an admin defines an event with an upload slot', async ({ logInAs, page, screenshot }) => {
    const setup = new SetupPage(page);
    await logInAs('admin');
    await setup.open('events');
    await setup.submit('event-form', { 'event-name': 'Relapse' });
    await setup.submit('slot-form', {
      'slot-event': 'Relapse',
      'slot-label': 'Relapse PET',
      'slot-modalities': 'PT, ct',
    });
    await expect
      .poll(
        async () => (await setup.rows('event-definitions-table').filter({ hasText: 'Relapse' }).textContent()) ?? '',
      )
      .toContain('Relapse PET (PT, CT)');
    await screenshot('12-setup-events');
  });

  test('an enrolled subject appears in the Subjects tab with a generated pseudonym', async ({
    logInAs,
    page,
    pacs,
  }) => {
    const setup = new SetupPage(page);
    await logInAs('admin');
    await setup.open('enrolment');
    await setup.submit('enrol-form', {
      'enrol-site': 'S02 — City Clinic Beta',
      'enrol-label': 'S02-003',
      'enrol-sex': 'F',
      'enrol-birth-date': '1966-05-04',
    });
    await pacs.openFromMenu();
    await pacs.search('S02-003');
    await expect.poll(() => pacs.subjectLabels()).toEqual(['S02-003']);
    await expect.poll(() => pacs.subjectRows.first().locator('td').nth(1).textContent()).toMatch(/^[A-Z0-9]{6,}$/);
  });

  test('a system administrator creates a user, sees the one-time password once, and grants a role', async ({
    logInAs,
    page,
    screenshot,
  }) => {
    const setup = new SetupPage(page);
    await logInAs('admin');
    await setup.open('users');
    await setup.submit('user-form', { 'user-username': 'site2.uploader', 'user-display-name': 'Second Site Uploader' });
    await expect
      .poll(() => page.getByTestId('generated-password').textContent())
      .toMatch(/^User site2\.uploader created\. One-time password \(shown only now\): \S{12,}$/);
    await setup.submit('membership-form', {
      'membership-user': 'site2.uploader',
      'membership-role': 'Site uploader',
      'membership-site': 'S02',
    });
    await expect
      .poll(
        async () => (await setup.rows('memberships-table').filter({ hasText: 'site2.uploader' }).textContent()) ?? '',
      )
      .toBe('site2.uploaderSite uploaderS02');
    await screenshot('13-setup-users');
  });

  test("the audit log shows the study's actions and filters them by action", async ({ logInAs, page, screenshot }) => {
    await logInAs('admin');
    await page.getByTestId('menu-audit').click();
    await page.getByTestId('audit-table-row').first().waitFor();
    await screenshot('14-audit-log');
    await page.getByTestId('audit-filter').fill('subject.enrolled');
    // The demo seed enrols five subjects; the filter keeps only those entries.
    await expect
      .poll(async () => new Set(await page.getByTestId('audit-table-row').locator('td:nth-child(3)').allTextContents()))
      .toEqual(new Set(['subject.enrolled']));
    expect(await page.getByTestId('audit-table-row').count()).toBeGreaterThanOrEqual(5);
  });

  test('a site uploader has neither set-up nor audit log in the menu', async ({ logInAs, shell }) => {
    await logInAs('uploader');
    await shell.menuSubjectsEventsDicom.waitFor();
    expect(await shell.menuSetup.count()).toBe(0);
    expect(await shell.menuAudit.count()).toBe(0);
  });
});
