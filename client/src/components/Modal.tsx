import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Input types that bring up a touch keyboard (or a picker) as soon as they are focused. */
const nonTypingInputs = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

function isTextEntry(element: HTMLElement): boolean {
  if (element instanceof HTMLTextAreaElement || element.isContentEditable) return true;
  return element instanceof HTMLInputElement && !nonTypingInputs.has(element.type);
}

/** A finger, not a mouse: a tablet or a phone, where focusing a text field covers the screen with a keyboard. */
function isTouchScreen(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches;
}

/** Makes everything but `keep` inert (no taps, no focus, out of the accessibility tree); returns the undo. */
function makeOthersInert(keep: HTMLElement): () => void {
  const changed: HTMLElement[] = [];
  for (const element of Array.from(document.body.children)) {
    if (element === keep || !(element instanceof HTMLElement) || element.inert) continue;
    element.inert = true;
    changed.push(element);
  }
  return () => {
    for (const element of changed) element.inert = false;
  };
}

/**
 * Holds the page still while a dialog is open (app.css `html.has-modal`): a swipe that reaches the
 * end of the dialog does not scroll the grid beneath. Counted, so a dialog opened from a dialog
 * does not release the page when it closes. Returns the undo.
 */
function holdPageStill(): () => void {
  const root = document.documentElement;
  const count = Number(root.dataset.modals ?? '0') + 1;
  root.dataset.modals = String(count);
  if (count === 1) {
    // A desktop scrollbar that goes would widen the page and reflow the grid: its width is kept.
    root.style.setProperty('--scrollbar-gap', `${Math.max(0, window.innerWidth - root.clientWidth)}px`);
    root.classList.add('has-modal');
  }
  return () => {
    const left = Number(root.dataset.modals ?? '1') - 1;
    if (left > 0) {
      root.dataset.modals = String(left);
      return;
    }
    delete root.dataset.modals;
    root.classList.remove('has-modal');
    root.style.removeProperty('--scrollbar-gap');
  };
}

/**
 * A modal dialog that works the same on a tablet and a desk: the page behind is inert and does not
 * move, focus moves in and stays in, Escape closes, focus returns to the opener. A tap outside does
 * not close it, so typed values are never lost to a stray touch.
 *
 * It opens on `[data-autofocus]` (else its first control). On a touch screen a text field is not
 * focused — the keyboard would cover the dialog before the nurse has read it — the dialog itself is,
 * and the field waits for a tap. Focusing never scrolls the page (`preventScroll`). The dialog is
 * never taller than the screen: its content scrolls inside it.
 */
export function Modal({ title, onClose, children }: ModalProps) {
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const [host] = useState(() => document.createElement('div'));

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    document.body.append(host);
    const restoreInert = makeOthersInert(host);
    const releasePage = holdPageStill();
    const dialog = dialogRef.current;
    if (dialog !== null) {
      const wanted = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(focusable);
      const target = wanted === null || (isTextEntry(wanted) && isTouchScreen()) ? dialog : wanted;
      target.focus({ preventScroll: true });
    }
    return () => {
      restoreInert();
      releasePage();
      host.remove();
      opener?.focus({ preventScroll: true });
    };
  }, [host]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    const dialog = dialogRef.current;
    if (event.key !== 'Tab' || dialog === null) return;
    const items = Array.from(dialog.querySelectorAll<HTMLElement>(focusable));
    const first = items[0];
    const last = items.at(-1);
    if (first === undefined || last === undefined) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === dialog)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className="modal-backdrop">
      <div ref={dialogRef} role="dialog" aria-modal="true" aria-labelledby={titleId} className="modal" tabIndex={-1} onKeyDown={onKeyDown}>
        <h2 id={titleId} className="modal__title">
          {title}
        </h2>
        <div className="modal__body">{children}</div>
      </div>
    </div>,
    host,
  );
}
