import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Modal } from './Modal';

/** A screen whose primary pointer is a finger (a tablet) or a mouse. */
function pointer(kind: 'coarse' | 'fine') {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: query.includes(`pointer: ${kind}`),
    media: query,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function Opener({ autofocus }: { autofocus: 'text' | 'button' | 'none' }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Enter reading
      </button>
      {open && (
        <Modal title="Enter reading — Chair 1" onClose={() => setOpen(false)}>
          <label>
            Systolic
            <input type="text" inputMode="numeric" data-autofocus={autofocus === 'text' ? '' : undefined} />
          </label>
          <button type="button" data-autofocus={autofocus === 'button' ? '' : undefined} onClick={() => setOpen(false)}>
            Cancel
          </button>
        </Modal>
      )}
    </>
  );
}

async function open(autofocus: 'text' | 'button' | 'none') {
  const user = userEvent.setup();
  render(<Opener autofocus={autofocus} />);
  await user.click(screen.getByRole('button', { name: 'Enter reading' }));
  return { user, dialog: screen.getByRole('dialog', { name: 'Enter reading — Chair 1' }) };
}

describe('Modal focus', () => {
  it('on a touch screen focuses the dialog, not its text field: no keyboard covers the screen', async () => {
    pointer('coarse');
    const { user, dialog } = await open('text');
    expect(dialog).toHaveFocus();
    expect(screen.getByLabelText('Systolic')).not.toHaveFocus();
    // The field is a tap (or a Tab) away.
    await user.tab();
    expect(screen.getByLabelText('Systolic')).toHaveFocus();
  });

  it('on a touch screen still focuses a button chosen for it, and the first control is not a text field by default', async () => {
    pointer('coarse');
    await open('button');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
  });

  it('with a mouse and keyboard focuses the chosen field, ready to type', async () => {
    pointer('fine');
    await open('text');
    expect(screen.getByLabelText('Systolic')).toHaveFocus();
  });

  it('focuses without scrolling, going in and coming back', async () => {
    pointer('fine');
    const focus = vi.spyOn(HTMLElement.prototype, 'focus');
    const { user } = await open('text');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter reading' })).toHaveFocus();
    const programmatic = focus.mock.calls.filter((call) => call.length > 0);
    expect(programmatic.length).toBeGreaterThanOrEqual(2);
    for (const [options] of programmatic) expect(options).toEqual({ preventScroll: true });
  });

  it('Shift+Tab from the dialog itself stays inside it', async () => {
    pointer('coarse');
    const { user, dialog } = await open('text');
    expect(dialog).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
  });
});

describe('Modal and the page beneath', () => {
  it('holds the page still while open and lets it go when closed', async () => {
    pointer('fine');
    const root = document.documentElement;
    const { user } = await open('none');
    expect(root).toHaveClass('has-modal');
    expect(root.style.getPropertyValue('--scrollbar-gap')).toMatch(/^\d+px$/);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(root).not.toHaveClass('has-modal');
    expect(root.style.getPropertyValue('--scrollbar-gap')).toBe('');
  });

  it('keeps the page held while a second dialog closes over the first', () => {
    pointer('fine');
    const root = document.documentElement;
    const first = render(
      <Modal title="First" onClose={() => undefined}>
        <p>one</p>
      </Modal>,
    );
    const second = render(
      <Modal title="Second" onClose={() => undefined}>
        <p>two</p>
      </Modal>,
    );
    second.unmount();
    expect(root).toHaveClass('has-modal');
    first.unmount();
    expect(root).not.toHaveClass('has-modal');
  });

  it('puts the content in a body that scrolls inside the dialog, under a title that stays', async () => {
    pointer('fine');
    const { dialog } = await open('none');
    const body = dialog.querySelector('.modal__body');
    expect(body).not.toBeNull();
    expect(body).toContainElement(screen.getByLabelText('Systolic'));
    expect(body).not.toContainElement(screen.getByRole('heading', { name: 'Enter reading — Chair 1' }));
  });
});
