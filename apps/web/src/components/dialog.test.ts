// @vitest-environment happy-dom
import { createElement as h, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Dialog, type DialogProps } from './dialog.js';
import { mountPerTest } from './test-mount.js';

const mount = mountPerTest();
let opener: HTMLButtonElement;
beforeEach(() => {
  opener = document.createElement('button');
  opener.textContent = 'Upload New';
  document.body.append(opener);
});
afterEach(() => opener.remove());

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
const tab = (shift = false) => mount().press('Tab', { shiftKey: shift });

describe('Dialog', () => {
  test('opening moves the focus to the first control of the body, and closing gives it back to the opener', () => {
    opener.focus();
    mount().render(dialog(true, buttons));
    expect(focusedId()).toBe('first');
    mount().render(dialog(false, buttons));
    expect(document.activeElement).toBe(opener);
  });

  test('Tab from the last control wraps to the first and Shift+Tab from the first wraps to the last', () => {
    opener.focus();
    mount().render(dialog(true, buttons));
    (document.getElementById('close') as HTMLButtonElement).focus();
    tab();
    expect(focusedId()).toBe('first');
    tab(true);
    expect(focusedId()).toBe('close');
  });

  test('a dialog without a control in its body focuses its title, not a button of the footer', () => {
    opener.focus();
    mount().render(dialog(true, h('p', null, 'The slot holds a study.')));
    expect(document.activeElement?.tagName).toBe('H2');
    expect(document.activeElement?.textContent).toBe('Upload and Assign DICOM Study');
  });
});
