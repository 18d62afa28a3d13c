import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/app-store';
import { renderWithApp } from '../test-utils';
import { ConnectionBanner } from './ConnectionBanner';

describe('ConnectionBanner', () => {
  it('raises an alert when the connection is lost, and only then', () => {
    const store = createAppStore();
    store.getState().connectionChanged('live');
    renderWithApp(<ConnectionBanner />, { store });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    act(() => store.getState().connectionChanged('disconnected', 'transport close'));
    expect(screen.getByRole('alert')).toHaveTextContent('Connection lost — values may be stale');
  });
});
