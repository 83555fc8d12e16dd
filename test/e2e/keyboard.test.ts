import { afterAll, beforeAll, expect } from 'vitest';
import { type RtDrop, writeRtDrop } from './drops.js';
import { describeE2e, test } from './fixtures.js';
import { Keyboard } from './pages/keyboard.js';
import { UploaderWindow } from './pages/uploader-window.js';

// The whole way from the login to a selection in the Uploader window without the mouse: Tab to a
// control, then Enter, Space, Escape or the arrows. Each stop checks that a focus ring is drawn.
// The drop: the generated RT set (3 CT ← RTSTRUCT ← RTPLAN ← RTDOSE, plus an RTIMAGE).
let drop: RtDrop;

beforeAll(async () => {
  drop = await writeRtDrop({ root: '1.2.826.0.1.3680043.10.1447.92', sex: 'F', birthDate: '19560314' });
});
afterAll(() => drop?.remove());

describeE2e('keyboard only', () => {
  test('a keyboard user logs in, picks subject, event and slot, and the Uploader opens for that slot', async ({
    login,
    page,
    pacs,
    portal,
    shell,
  }) => {
    const keys = new Keyboard(page);
    await login.open();
    await keys.tabTo({ testId: 'login-username' });
    await keys.type('uploader');
    await keys.tabTo({ testId: 'login-password' });
    await keys.type(portal.password('uploader'));
    await keys.press('Enter');
    await shell.currentUser.waitFor();

    expect((await keys.tabTo({ testId: 'menu-subjects-events-dicom' })).ring).toBe(true);
    await keys.press('Enter');
    await pacs.subjectRows.first().waitFor();
    expect((await keys.tabTo({ testId: 'subjects-table-row', text: 'S01-002' })).ring).toBe(true);
    await keys.press('Enter');
    // The toast sits in a polite live region, so screen readers announce it.
    await expect
      .poll(() => page.locator('[role="status"] [data-testid="toast"]').first().textContent())
      .toBe('Events loaded: 3 for subject S01-002');
    await pacs.eventsTable.waitFor();
    expect((await keys.tabTo({ testId: 'events-table-row', text: 'Planning' })).ring).toBe(true);
    await keys.press('Space');
    await pacs.dicomTable.waitFor();

    // Upload New: the focus moves into the dialog, Escape closes it and the focus returns to the button.
    await keys.tabTo({ testId: 'upload-new' });
    await keys.press('Enter');
    await pacs.uploadDialog.getByTestId('upload-slots').waitFor();
    await expect.poll(() => keys.focusInside('upload-dialog')).toBe(true);
    await keys.press('Escape');
    await pacs.uploadDialog.getByTestId('upload-slots').waitFor({ state: 'detached' });
    expect((await keys.focused()).testId).toBe('upload-new');
    await keys.press('Enter');
    await pacs.uploadDialog.getByTestId('upload-slots').waitFor();
    // The focus trap: twenty Tabs later the focus is still inside the dialog.
    for (let i = 0; i < 20; i++) {
      await keys.press('Tab');
      expect(await keys.focusInside('upload-dialog')).toBe(true);
    }
    expect((await keys.tabTo({ testId: 'slot-command', text: 'RT Dose' })).ring).toBe(true);
    const [popup] = await Promise.all([page.context().waitForEvent('page'), keys.press('Enter')]);
    const uploader = new UploaderWindow(popup);
    await uploader.waitForOverview();
    await expect.poll(() => uploader.field('item').textContent()).toBe('RT Dose');
  });

  test('in the Uploader a keyboard user connects, picks files and selects the RTDOSE in the RT tree with the arrows', async ({
    logInAs,
    portal,
    context,
  }) => {
    await logInAs('uploader');
    const page = await context.newPage();
    await page.goto(
      portal.baseUrl + (await portal.uploaderPath({ subject: 'S01-001', event: 'Planning', slot: 'RT Dose' })),
    );
    const uploader = new UploaderWindow(page);
    const { scan } = uploader;
    await uploader.waitForOverview();
    const keys = new Keyboard(page);
    await keys.tabTo({ testId: 'uploader-connect' });
    await keys.press('Enter');
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();

    // The file picker opens from the keyboard; the chosen files are then scanned.
    expect((await keys.tabTo({ testId: 'files-input' })).ring).toBe(true);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), keys.press('Space')]);
    await chooser.setFiles(drop.files);
    await page.locator('[data-testid="scan-panel"][data-state="scanned"]').waitFor();

    await keys.tabTo({ testId: 'tab-series' });
    await keys.press('ArrowRight');
    await page.getByTestId('rt-tree').waitFor();
    // One tab stop for the whole tree: the first item.
    const first = await keys.tabTo({ testId: 'rt-node' });
    expect(first.ring).toBe(true);
    const tree = page.getByTestId('rt-tree');
    expect(await tree.getAttribute('role')).toBe('tree');
    const ct = scan.rtNode('CT');
    expect(await ct.getAttribute('role')).toBe('treeitem');
    expect(await ct.getAttribute('aria-expanded')).toBe('true');
    // Left closes the CT branch, Right opens it again.
    await keys.press('ArrowLeft');
    await expect.poll(() => ct.getAttribute('aria-expanded')).toBe('false');
    await keys.press('ArrowRight');
    await expect.poll(() => ct.getAttribute('aria-expanded')).toBe('true');
    for (let i = 0; i < 6; i++) {
      if ((await page.evaluate('document.activeElement?.getAttribute("data-modality")')) === 'RTDOSE') break;
      await keys.press('ArrowDown');
    }
    expect(await page.evaluate('document.activeElement?.getAttribute("data-modality")')).toBe('RTDOSE');
    await keys.press('Space');
    await expect.poll(() => scan.treeStatus('RTDOSE')).toBe('explicit');
    expect(await scan.rtNode('RTDOSE').getAttribute('aria-selected')).toBe('true');
    expect(await scan.treeStatus('RTPLAN')).toBe('implied');
    expect(await scan.treeStatus('CT')).toBe('implied');
    expect(await scan.counter('selected')).toBe('4');
    // Home goes back to the first item.
    await keys.press('Home');
    expect(await page.evaluate('document.activeElement?.getAttribute("data-modality")')).toBe('CT');
  });
});
