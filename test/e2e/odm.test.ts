import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { describeE2e, test } from './fixtures.js';
import { OdmPanel } from './pages/odm-panel.js';
import { SetupPage } from './pages/setup-page.js';

const OPENCLINICA_EXPORT = fileURLToPath(
  new URL('../../apps/server/test/data/odm/openclinica-rt-trial-metadata.xml', import.meta.url),
);

describeE2e('ODM import and mail notifications in Study set-up', () => {
  test('an admin previews an OpenClinica metadata export, imports it, and the new slot is defined', async ({
    logInAs,
    page,
    screenshot,
  }) => {
    const setup = new SetupPage(page);
    const odm = new OdmPanel(page);
    await logInAs('admin');
    await setup.open('odm');
    await odm.preview(OPENCLINICA_EXPORT);
    expect(await odm.summary()).toContain('RT Trial 2026 & Imaging (S_RTTRIAL, v1.0.0)');
    // The demo study already has Planning and Follow-up: the import links them instead of duplicating.
    expect(await odm.plan()).toEqual([
      'Planning — link to existing',
      '  Planning CT — link to existing',
      '  RT Structure Set — link to existing',
      '  RT Plan + Dose — create',
      'Follow-up (Repeating) — link to existing',
      '  Follow-up MR — link to existing',
    ]);
    await screenshot('50-setup-odm-preview');
    await odm.import();
    await setup.open('events');
    await expect
      .poll(
        async () => (await setup.rows('event-definitions-table').filter({ hasText: 'Planning' }).textContent()) ?? '',
      )
      .toContain('RT Plan + Dose (RTPLAN, RTDOSE)');
    await setup.open('odm');
    expect(await odm.exportHref()).toMatch(/^\/api\/studies\/[0-9a-f-]{36}\/odm\/clinical-data$/);
  });

  test('an admin switches mail notifications on for the study and sees the empty outbox', async ({
    logInAs,
    page,
    screenshot,
  }) => {
    const setup = new SetupPage(page);
    await logInAs('admin');
    await setup.open('notifications');
    await expect.poll(() => page.getByTestId('notifications-enabled').isChecked()).toBe(false);
    await page.getByTestId('notifications-enabled').check();
    await setup.submit('notifications-form', {
      'notifications-recipients': 'imaging@example.org\nphysics@example.org',
    });
    await page.reload();
    await page.getByTestId('setup-page').waitFor();
    await setup.open('notifications');
    await expect.poll(() => page.getByTestId('notifications-enabled').isChecked()).toBe(true);
    await expect
      .poll(() => page.getByTestId('notifications-recipients').inputValue())
      .toBe('imaging@example.org\nphysics@example.org');
    await expect.poll(() => page.getByTestId('mail-outbox-table').textContent()).toContain('No mails yet');
    await screenshot('51-setup-notifications');
  });
});
