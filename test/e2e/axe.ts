import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle from node_modules (playwright-core has no axe integration of its own). */
export const AXE_SCRIPT: string = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** One axe rule broken on a page, with the elements (CSS selectors) that break it. */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is now (WCAG 2.0/2.1/2.2 A and AA rules plus axe's best
 * practices) and returns the serious and critical violations; an accessible page returns `[]`.
 * axe is injected with `page.addScriptTag` once per document.
 *
 * @example
 * expect(await seriousViolations(page)).toEqual([]);
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.addScriptTag({ path: AXE_SCRIPT });
  // A string: the root tsconfig has no DOM types, and this runs in the page.
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  })()`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
