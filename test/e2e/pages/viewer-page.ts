import type { Locator, Page } from 'playwright-core';
import { decodePng, type Pixels } from '../png.js';

/** The viewer page (`/viewer?study=…&uid=…`): series list, stack with overlay, presets, status. */
export class ViewerPage {
  readonly root: Locator;
  readonly viewport: Locator;
  readonly error: Locator;
  readonly seriesRows: Locator;
  readonly rois: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('viewer-page');
    this.viewport = page.getByTestId('viewer-viewport');
    this.error = page.getByTestId('viewer-error');
    this.seriesRows = page.getByTestId('viewer-series-row');
    this.rois = page.getByTestId('viewer-roi');
  }

  /** Opens the viewer by its URL (as the DICOM tab's "View" link does). */
  async open(baseUrl: string, path: string): Promise<void> {
    await this.page.goto(`${baseUrl}${path}`);
    await this.root.waitFor();
  }

  /** Clicks "View" in a DICOM tab row and waits for the viewer. */
  async openFromRow(row: Locator): Promise<void> {
    await row.getByTestId('open-viewer').click();
    await this.root.waitFor();
  }

  /** Follows "Back to the DICOM tab". */
  async back(): Promise<void> {
    await this.page.getByTestId('viewer-back').click();
  }

  /** Waits until the stack has drawn an image (the page announces data-state="ready"). */
  async waitForImage(): Promise<void> {
    await this.page.locator('[data-testid="viewer-page"][data-state="ready"]').waitFor({ timeout: 30_000 });
  }

  /** The page's state: loading, ready or error. */
  async state(): Promise<string | null> {
    return this.root.getAttribute('data-state');
  }

  /** The 0-based index of the slice shown. */
  async sliceIndex(): Promise<number> {
    return Number(await this.root.getAttribute('data-slice'));
  }

  /** How many contours the overlay drew on the slice shown. */
  async contoursDrawn(): Promise<number> {
    return Number(await this.root.getAttribute('data-contours'));
  }

  /** Whether the dose wash was drawn on the slice shown. */
  async doseDrawn(): Promise<boolean> {
    return (await this.root.getAttribute('data-dose')) === 'drawn';
  }

  /** The status line's window, e.g. "W 400 / L 40". */
  async windowText(): Promise<string> {
    return (await this.page.getByTestId('viewer-window').textContent()) ?? '';
  }

  /** Clicks a window preset: default, softTissue, lung, bone, brain. */
  async preset(id: 'default' | 'softTissue' | 'lung' | 'bone' | 'brain'): Promise<void> {
    await this.page.getByTestId(`viewer-preset-${id}`).click();
  }

  /** Switches the dose wash on or off. */
  async showDose(on: boolean): Promise<void> {
    await this.page.getByTestId('viewer-dose-toggle').setChecked(on);
  }

  /** Presses a key in the focused viewport (↑/↓ scroll, 1–5 presets). */
  async press(key: string): Promise<void> {
    await this.viewport.focus();
    await this.viewport.press(key);
  }

  /** Turns the mouse wheel over the viewport by `steps` notches (positive: down the stack). */
  async wheel(steps: number): Promise<void> {
    await this.viewport.hover();
    await this.page.mouse.wheel(0, steps * 100);
  }

  /** Drags with the left button across the viewport (window/level), by dx, dy CSS pixels. */
  async drag(dx: number, dy: number): Promise<void> {
    const box = await this.viewport.boundingBox();
    if (box === null) throw new Error('viewport not visible');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx, y + dy, { steps: 5 });
    await this.page.mouse.up();
  }

  /** The SOP Instance UID of the structure set (RTSTRUCT) or dose (RTDOSE) overlaid now, '' for none. */
  async overlayObject(modality: 'RTSTRUCT' | 'RTDOSE'): Promise<string> {
    return (await this.root.getAttribute(modality === 'RTSTRUCT' ? 'data-structure-set' : 'data-dose-object')) ?? '';
  }

  /** The list that picks the structure set or dose (a select when the study holds several). */
  overlayChoice(modality: 'RTSTRUCT' | 'RTDOSE'): Locator {
    return this.page.getByTestId(modality === 'RTSTRUCT' ? 'viewer-structure-choice' : 'viewer-dose-choice');
  }

  /** The entries of that list, as shown. */
  async overlayOptions(modality: 'RTSTRUCT' | 'RTDOSE'): Promise<string[]> {
    return this.overlayChoice(modality).locator('option').allTextContents();
  }

  /** Picks a structure set or dose by its SOP Instance UID and waits until its overlay has loaded. */
  async chooseOverlay(modality: 'RTSTRUCT' | 'RTDOSE', sopInstanceUid: string): Promise<void> {
    await this.overlayChoice(modality).selectOption(sopInstanceUid);
    await this.page
      .locator(`[data-testid="viewer-page"][data-overlay-state="loaded"]`)
      .and(this.page.locator(`[data-${modality === 'RTSTRUCT' ? 'structure-set' : 'dose-object'}="${sopInstanceUid}"]`))
      .waitFor();
  }

  /** A screenshot of the viewport with its overlay, decoded: what the user sees. */
  async pixels(): Promise<Pixels> {
    return decodePng(await this.page.locator('.stack-view').screenshot());
  }
}

/** The preview in the Uploader's Details popup. */
export class DetailsPreview {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('series-preview');
  }

  /** Waits until the preview has either drawn its image or given up, and returns which. */
  async settled(): Promise<'ready' | 'failed'> {
    await this.page.locator('[data-testid="series-preview"]:is([data-state="ready"], [data-state="failed"])').waitFor();
    return (await this.root.getAttribute('data-state')) as 'ready' | 'failed';
  }

  /** The preview canvas, decoded from a screenshot. */
  async pixels(): Promise<Pixels> {
    return decodePng(await this.page.getByTestId('series-preview-canvas').screenshot());
  }

  /** The message shown instead of (or under) the image. */
  async message(): Promise<string> {
    return (await this.page.getByTestId('series-preview-message').textContent()) ?? '';
  }
}
