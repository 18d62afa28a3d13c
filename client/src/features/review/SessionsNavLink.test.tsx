import type { PublicUser } from '@chairside/shared';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../store/app-store';
import { renderWithApp } from '../../test-utils';
import { SessionsNavLink } from './SessionsNavLink';
import { admin, clinician, nurse } from './review-fixtures';

function renderFor(user: PublicUser, route = '/') {
  const store = createAppStore();
  store.getState().loggedIn(user);
  renderWithApp(<SessionsNavLink />, { store, route });
}

describe('Sessions link in the header', () => {
  it('leads nurses and clinicians to the session list, marked while there', () => {
    renderFor(nurse);
    expect(screen.getByRole('link', { name: 'Sessions' })).toHaveAttribute('href', '/sessions');
    expect(screen.getByRole('link', { name: 'Sessions' })).not.toHaveAttribute('aria-current');
  });

  it('is current on a session page', () => {
    renderFor(clinician, '/sessions');
    expect(screen.getByRole('link', { name: 'Sessions' })).toHaveAttribute('aria-current', 'page');
  });

  it('is not offered to admins', () => {
    renderFor(admin);
    expect(screen.queryByRole('link', { name: 'Sessions' })).not.toBeInTheDocument();
  });
});
