import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: string;
  /** The one-sentence summary under the title. */
  lead?: ReactNode;
  children?: ReactNode;
  /** Buttons at the foot, the main one last. */
  footer: ReactNode;
  onClose(): void;
  tone?: 'default' | 'danger';
  size?: 'normal' | 'wide';
  testId?: string;
}

/**
 * A modal dialog on the native <dialog>: the page behind it is inert, Escape
 * closes it, and Tab cycles through its own controls only. Focus returns to
 * what had it when the dialog opened.
 */
export function Dialog({
  title,
  lead,
  children,
  footer,
  onClose,
  tone = 'default',
  size = 'normal',
  testId,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const leadId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // The first field, else the main (last) button: where the user most likely goes next.
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('.dialog-body :is(input, select, textarea, button):not([disabled])') ??
      [...dialog.querySelectorAll<HTMLElement>('.dialog-footer button:not([disabled])')].at(-1);
    first?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const trapTab = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter(
      (el) => el.offsetParent !== null || el === document.activeElement,
    );
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable.at(-1)!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size} dialog-tone-${tone}`}
      aria-labelledby={titleId}
      aria-describedby={lead ? leadId : undefined}
      onKeyDown={trapTab}
      data-testid={testId}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={() => onCloseRef.current()}>
          <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M4 4l8 8M12 4l-8 8" />
          </svg>
        </button>
      </header>
      {lead ? (
        <p className="dialog-lead" id={leadId}>
          {lead}
        </p>
      ) : null}
      {children ? <div className="dialog-body">{children}</div> : null}
      <footer className="dialog-footer">{footer}</footer>
    </dialog>
  );
}
