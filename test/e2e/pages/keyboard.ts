import type { Page } from 'playwright-core';

/** What {@link Keyboard.tabTo} looks for: a test id, and text in the element or in its table row. */
export interface FocusTarget {
  testId: string;
  text?: string;
}

/** The focused element as the page reports it. */
export interface FocusedElement {
  testId: string | null;
  /** Text of the element, or of its table row / tree item when it is inside one. */
  text: string;
  /** True when a visible focus indicator is drawn (an outline of some width, or a box shadow). */
  ring: boolean;
}

/**
 * Drives a page with the keyboard only, as a user without a mouse does: Tab until the control is
 * reached, then Enter, Space, Escape or the arrows. Reads `document.activeElement` to know where
 * the focus is.
 *
 * @example
 * const keys = new Keyboard(page);
 * await keys.tabTo({ testId: 'upload-new' });
 * await keys.press('Enter');
 */
export class Keyboard {
  constructor(readonly page: Page) {}

  /** The element that has the focus now. */
  async focused(): Promise<FocusedElement> {
    // A string: the root tsconfig has no DOM types, and this runs in the page.
    return (await this.page.evaluate(`(() => {
      const el = document.activeElement;
      if (el === null || el === document.body) return { testId: null, text: '', ring: false };
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      const scope = el.closest('tr, [role="treeitem"]') ?? el;
      return { testId: el.getAttribute('data-testid'), text: scope.textContent ?? '', ring };
    })()`)) as FocusedElement;
  }

  /** Whether the focus is inside the element with this test id. */
  async focusInside(testId: string): Promise<boolean> {
    return (await this.page.evaluate(
      `!!document.querySelector('[data-testid="${testId}"]')?.contains(document.activeElement)`,
    )) as boolean;
  }

  /** Presses Tab (Shift+Tab with `backwards`) until the target has the focus; fails after `max` presses. */
  async tabTo(target: FocusTarget, options: { max?: number; backwards?: boolean } = {}): Promise<FocusedElement> {
    const seen: (string | null)[] = [];
    for (let i = 0; i < (options.max ?? 60); i++) {
      const now = await this.focused();
      if (now.testId === target.testId && (target.text === undefined || now.text.includes(target.text))) return now;
      seen.push(now.testId);
      await this.page.keyboard.press(options.backwards === true ? 'Shift+Tab' : 'Tab');
    }
    throw new Error(`Tab never reached ${JSON.stringify(target)}; focus went through ${seen.join(' → ')}`);
  }

  /** Presses one key (`Enter`, `Space`, `Escape`, `ArrowDown`, …). */
  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Types text into the focused field. */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }
}
