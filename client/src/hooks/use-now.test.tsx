import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServices, renderWithApp } from '../test-utils';
import { useNow } from './use-now';

function Shown({ label }: { label: string }) {
  const nowMs = useNow(1000);
  return (
    <p>
      {label} at {nowMs}
    </p>
  );
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('useNow', () => {
  it('ticks every component showing the time together, on one timer, and stops it when none is left', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const started = vi.spyOn(globalThis, 'setInterval');
    const stopped = vi.spyOn(globalThis, 'clearInterval');
    let nowMs = 5_000;
    const { unmount } = renderWithApp(
      <>
        <Shown label="tile 1" />
        <Shown label="tile 2" />
        <Shown label="tile 3" />
      </>,
      { services: fakeServices({ clock: { now: () => nowMs } }) },
    );
    expect(screen.getByText('tile 3 at 5000')).toBeInTheDocument();
    expect(started).toHaveBeenCalledTimes(1);

    act(() => {
      nowMs = 6_000;
      vi.advanceTimersByTime(1000);
    });
    expect(screen.getByText('tile 1 at 6000')).toBeInTheDocument();
    expect(screen.getByText('tile 2 at 6000')).toBeInTheDocument();
    expect(screen.getByText('tile 3 at 6000')).toBeInTheDocument();

    unmount();
    expect(stopped).toHaveBeenCalledTimes(1);
  });

  it('shows the current time to a component that starts showing it while the timer was stopped', () => {
    let nowMs = 5_000;
    const services = fakeServices({ clock: { now: () => nowMs } });
    renderWithApp(<Shown label="first" />, { services }).unmount();
    nowMs = 65_000;
    renderWithApp(<Shown label="later" />, { services });
    expect(screen.getByText('later at 65000')).toBeInTheDocument();
  });
});
