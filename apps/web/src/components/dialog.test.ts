// @vitest-environment happy-dom
import { act, createElement as h, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Dialog, type DialogProps } from './dialog.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
let opener: HTMLButtonElement;
beforeEach(() => {
  opener = document.createElement('button');
  opener.textContent = 'Upload New';
  document.body.append(opener);
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  opener.remove();
});

const dialog = (open: boolean, body: ReactNode) => {
  const props: DialogProps = {
    open,
    title: 'Upload and Assign DICOM Study',
    testId: 'upload-dialog',
    onClose: () => undefined,
    footer: h('button', { type: 'button', id: 'close' }, 'Close'),
    children: body,
  };
  return h(Dialog, props);
};
const buttons = h(
  'div',
  null,
  h('button', { type: 'button', id: 'first' }, 'Planning CT'),
  h('button', { type: 'button', id: 'second' }, 'RT Dose'),
);
const focusedId = () => document.activeElement?.id ?? null;
const tab = (shift = false) =>
  act(() => {
    document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: shift, bubbles: true }));
  });

describe('Dialog', () => {
  test('opening moves the focus to the first control of the body, and closing gives it back to the opener', () => {
    opener.focus();
    act(() => root.render(dialog(true, buttons)));
    expect(focusedId()).toBe('first');
    act(() => root.render(dialog(false, buttons)));
    expect(document.activeElement).toBe(opener);
  });

  test('Tab from the last control wraps to the first and Shift+Tab from the first wraps to the last', () => {
    opener.focus();
    act(() => root.render(dialog(true, buttons)));
    (document.getElementById('close') as HTMLButtonElement).focus();
    tab();
    expect(focusedId()).toBe('first');
    tab(true);
    expect(focusedId()).toBe('close');
  });

  test('a dialog without a control in its body focuses its title, not a button of the footer', () => {
    opener.focus();
    act(() => root.render(dialog(true, h('p', null, 'The slot holds a study.'))));
    expect(document.activeElement?.tagName).toBe('H2');
    expect(document.activeElement?.textContent).toBe('Upload and Assign DICOM Study');
  });
});
