import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';

/** Props of {@link Dialog}. */
export interface DialogProps {
  open: boolean;
  title: string;
  testId: string;
  onClose(): void;
  children: ReactNode;
  /** Buttons at the bottom. */
  footer?: ReactNode;
  wide?: boolean;
}

/** What can take the focus inside a dialog, in tab order. */
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The elements of `root` that Tab reaches, in document order (hidden ones left out).
 *
 * @example
 * focusableIn(dialog)[0]?.focus();
 */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && element.getClientRects().length > 0,
  );
}

/**
 * A modal dialog on the native `<dialog>` element (WAI-ARIA APG "Dialog (Modal)" pattern):
 * `showModal()` makes the page behind it inert; Tab and Shift+Tab wrap inside the dialog instead
 * of leaving for the browser's own controls; the first control takes the focus when it opens (one
 * marked `data-autofocus` first, else the title); Escape closes it; and the focus goes back to the
 * element that had it before (the opener) when it closes.
 *
 * @example
 * <Dialog open={open} title="Upload and Assign DICOM Study" testId="upload-dialog" onClose={close}>…</Dialog>
 */
export function Dialog(props: DialogProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (props.open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      const first =
        dialog.querySelector<HTMLElement>('[data-autofocus]') ??
        focusableIn(dialog).find((element) => !element.closest('.dialog-footer')) ??
        titleRef.current;
      first?.focus();
    }
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || ref.current === null) return;
    const items = focusableIn(ref.current);
    const first = items[0];
    const last = items.at(-1);
    if (first === undefined || last === undefined) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !ref.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ref.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };
  return (
    <dialog
      ref={ref}
      className={props.wide ? 'dialog wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-modal="true"
      data-testid={props.testId}
      onKeyDown={onKeyDown}
      onClose={() => {
        // Escape (the dialog's cancel) or close(): return the focus to whoever opened it.
        const back = opener.current;
        opener.current = null;
        if (back?.isConnected) back.focus();
        if (props.open) props.onClose();
      }}
    >
      {props.open && (
        <>
          <h2 id={titleId} ref={titleRef} tabIndex={-1}>
            {props.title}
          </h2>
          <div className="dialog-body">{props.children}</div>
          {props.footer !== undefined && <div className="dialog-footer">{props.footer}</div>}
        </>
      )}
    </dialog>
  );
}
