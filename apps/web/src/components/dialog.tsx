import { type ReactNode, useEffect, useId, useRef } from 'react';

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

/**
 * A modal dialog on the native `<dialog>` element: `showModal()` traps focus inside, Escape closes
 * it, and focus returns to the opener when it closes (HTML "dialog focusing steps").
 *
 * @example
 * <Dialog open={open} title="Upload and Assign DICOM Study" testId="upload-dialog" onClose={close}>…</Dialog>
 */
export function Dialog(props: DialogProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className={props.wide ? 'dialog wide' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={props.testId}
      onClose={() => {
        if (props.open) props.onClose();
      }}
    >
      {props.open && (
        <>
          <h2 id={titleId}>{props.title}</h2>
          <div className="dialog-body">{props.children}</div>
          {props.footer !== undefined && <div className="dialog-footer">{props.footer}</div>}
        </>
      )}
    </dialog>
  );
}
