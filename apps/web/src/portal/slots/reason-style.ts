import type { CSSProperties } from 'react';

/**
 * The reason fields of the slot dialogs: the dialog's full width, the app's font (a textarea does
 * not inherit it), resizable in height only.
 *
 * @example
 * <textarea style={REASON_STYLE} />
 */
export const REASON_STYLE: CSSProperties = {
  width: '100%',
  boxSizing: 'border-box',
  font: 'inherit',
  resize: 'vertical',
  marginBottom: '0.5rem',
};
