import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { KioskStatus } from './KioskStatus';
import { useWakeLock } from './use-wake-lock';

/** A Screen Wake Lock the test controls: the browser releasing it, refusing it. */
class FakeWakeLock {
  requests = 0;
  refuse = false;
  current: FakeSentinel | null = null;
  async request(type: 'screen') {
    expect(type).toBe('screen');
    this.requests += 1;
    if (this.refuse) throw new DOMException('refused', 'NotAllowedError');
    this.current = new FakeSentinel();
    return this.current;
  }
}

class FakeSentinel {
  released = false;
  private listeners: (() => void)[] = [];
  addEventListener(_type: 'release', listener: () => void) {
    this.listeners.push(listener);
  }
  async release() {
    this.released = true;
    for (const l of this.listeners) l();
  }
}

let visibility: DocumentVisibilityState = 'visible';
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });

function setWakeLock(lock: FakeWakeLock | undefined) {
  Object.defineProperty(navigator, 'wakeLock', { configurable: true, value: lock });
}

function Shown({ enabled }: { enabled: boolean }) {
  return <p>wake lock {useWakeLock(enabled)}</p>;
}

afterEach(() => {
  visibility = 'visible';
  setWakeLock(undefined);
});

describe('useWakeLock (kiosk mode)', () => {
  it('asks for nothing while kiosk mode is off', () => {
    const lock = new FakeWakeLock();
    setWakeLock(lock);
    render(<Shown enabled={false} />);
    expect(screen.getByText('wake lock off')).toBeInTheDocument();
    expect(lock.requests).toBe(0);
  });

  it('keeps the screen awake, asks again when the page is visible after the browser released it, and lets go when unmounted', async () => {
    const lock = new FakeWakeLock();
    setWakeLock(lock);
    const { unmount } = render(<Shown enabled />);
    await screen.findByText('wake lock active');
    expect(lock.requests).toBe(1);

    // Another tab: the browser releases the lock; nothing is asked while hidden.
    visibility = 'hidden';
    await act(async () => {
      await lock.current?.release();
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(lock.requests).toBe(1);

    // Back on screen: asked again.
    visibility = 'visible';
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(lock.requests).toBe(2));
    const second = lock.current;
    unmount();
    expect(second?.released).toBe(true);
  });

  it('says when the browser has no wake lock or refuses it, and the kiosk shows a warning', async () => {
    render(<Shown enabled />);
    expect(screen.getByText('wake lock unsupported')).toBeInTheDocument();
    const { unmount } = render(<KioskStatus active />);
    expect(screen.getByRole('status')).toHaveTextContent('cannot keep the screen awake');
    unmount();

    const lock = new FakeWakeLock();
    lock.refuse = true;
    setWakeLock(lock);
    render(<KioskStatus active />);
    expect(await screen.findByRole('status')).toHaveTextContent('refused to keep it awake');
  });

  it('shows no warning while the lock holds or kiosk mode is off', async () => {
    const lock = new FakeWakeLock();
    setWakeLock(lock);
    const { container } = render(<KioskStatus active />);
    await waitFor(() => expect(lock.current).not.toBeNull());
    expect(container).toBeEmptyDOMElement();
    setWakeLock(undefined);
    const off = render(<KioskStatus active={false} />);
    expect(off.container).toBeEmptyDOMElement();
  });
});
