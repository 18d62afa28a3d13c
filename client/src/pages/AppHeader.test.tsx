import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/app-store';
import { renderWithApp } from '../test-utils';
import { AppHeader } from './AppHeader';

const nurse = { id: 'u1', username: 'nurse', displayName: 'Nurse Demo', role: 'nurse' as const };

function setup() {
  const store = createAppStore();
  store.getState().sessionLoaded({ user: nurse, demoAccounts: null });
  renderWithApp(
    <>
      <AppHeader />
      <p>The page</p>
    </>,
    { store },
  );
  const header = screen.getByRole('banner');
  const menuButton = within(header).getByRole('button', { name: 'Menu' });
  return { user: userEvent.setup(), header, menuButton };
}

// jsdom lays nothing out, so every part of the header is "shown" here; which parts sit behind the
// menu at which width is app.css's, checked in the browser. These tests hold the menu's behaviour.
describe('AppHeader menu', () => {
  it('is a disclosure: the button says whether the menu with the page links and the user is open', async () => {
    const { user, menuButton } = setup();
    const menu = document.getElementById(menuButton.getAttribute('aria-controls') ?? '');
    expect(menu).not.toBeNull();
    expect(within(menu as HTMLElement).getByRole('link', { name: 'Sessions' })).toBeInTheDocument();
    expect(within(menu as HTMLElement).getByText('Nurse Demo')).toBeInTheDocument();
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');

    await user.click(menuButton);
    expect(menuButton).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('banner')).toHaveClass('is-menu-open');
    await user.click(menuButton);
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
  });

  it('closes on Escape from inside the menu and gives focus back to the button', async () => {
    const { user, menuButton } = setup();
    await user.click(menuButton);
    await user.tab(); // into the menu, which follows its button
    expect(menuButton).not.toHaveFocus();
    await user.keyboard('{Escape}');
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
    expect(menuButton).toHaveFocus();
  });

  it('closes on a tap elsewhere, and when a link in it is followed', async () => {
    const { user, menuButton } = setup();
    await user.click(menuButton);
    await user.click(screen.getByText('The page'));
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');

    await user.click(menuButton);
    await user.click(screen.getByRole('link', { name: 'Sessions' }));
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
  });

  it('closes when focus leaves the header', async () => {
    const { user, menuButton } = setup();
    await user.click(menuButton);
    const outside = document.createElement('button');
    document.body.append(outside);
    act(() => outside.focus());
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
    outside.remove();
    await user.click(menuButton);
    expect(menuButton).toHaveAttribute('aria-expanded', 'true');
  });

  it('keeps Log out in the row, outside the menu', () => {
    const { menuButton } = setup();
    const menu = document.getElementById(menuButton.getAttribute('aria-controls') ?? '') as HTMLElement;
    const logOut = screen.getByRole('button', { name: 'Log out' });
    expect(menu.contains(logOut)).toBe(false);
  });

  it('puts the page links and who is logged in in the part that folds first, and the sound controls and the bell apart from it', () => {
    const { header } = setup();
    const folding = header.querySelector('.app-header__more') as HTMLElement;
    // The page links (with "My chairs") fold behind "Menu" below 1280 px; what an alarm needs stays in the row down to the phone.
    expect(within(folding).getByRole('button', { name: /^My chairs/ })).toBeTruthy();
    expect(within(folding).getByRole('link', { name: 'Sessions' })).toBeTruthy();
    expect(within(folding).getByText('Nurse Demo')).toBeTruthy();
    expect(folding.contains(within(header).getByRole('button', { name: /^Alerts on this device/ }))).toBe(false);
    expect(folding.contains(header.querySelector('.sound-controls'))).toBe(false);
  });
});
