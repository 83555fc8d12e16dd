import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach } from 'vitest';

// React's act() must be told it runs in a test environment.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A React root in a fresh element of the (happy-dom) document, for component tests. */
export interface TestMount {
  /** The element the component renders into. */
  readonly host: HTMLDivElement;
  /** Renders (or re-renders) inside act(), so effects have run when it returns. */
  render(node: ReactNode): void;
  /** Dispatches a keydown of `key` on the focused element, inside act(). */
  press(key: string, init?: KeyboardEventInit): void;
}

/**
 * Registers beforeEach/afterEach hooks that mount a fresh React root per test and unmount it
 * after; returns an accessor for the current one. Only for files that declare
 * `// @vitest-environment happy-dom`.
 *
 * @example
 * const mount = mountPerTest();
 * test('…', () => { mount().render(h(Dialog, props)); });
 */
export function mountPerTest(): () => TestMount {
  let host: HTMLDivElement | null = null;
  let root: Root | null = null;
  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
  });
  afterEach(() => {
    const mounted = root;
    if (mounted !== null) act(() => mounted.unmount());
    host?.remove();
    host = null;
    root = null;
  });
  return () => {
    if (host === null || root === null) throw new Error('mountPerTest: only inside a test');
    const current = root;
    return {
      host,
      render: (node) => act(() => current.render(node)),
      press: (key, init = {}) =>
        act(() => {
          document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }));
        }),
    };
  };
}
