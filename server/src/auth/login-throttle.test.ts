import { describe, expect, it } from 'vitest';
import { isAttempt, type LoginAttempt, type LoginRefusal, LoginThrottle } from './login-throttle';

class TestClock {
  ms = Date.parse('2026-03-02T08:00:00Z');
  now(): number {
    return this.ms;
  }
}

const options = { maxFailuresPerAccount: 5, maxAttemptsPerAddress: 20, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 };

function attempt(value: LoginAttempt | LoginRefusal): LoginAttempt {
  if (!isAttempt(value)) throw new Error(`refused: ${value.reason}`);
  return value;
}

describe('LoginThrottle', () => {
  it('counts an attempt when it is reserved: parallel attempts cannot exceed the account limit', () => {
    const throttle = new LoginThrottle(new TestClock(), options);
    const pending = Array.from({ length: 5 }, () => attempt(throttle.reserve('nurse', '10.0.0.1')));
    expect(throttle.reserve('nurse', '10.0.0.1')).toEqual({ reason: 'account-busy', retryAfterMs: 5_000 });
    // Four fail, the fifth fails too: locked for this address.
    expect(pending.map((p) => p.failed())).toEqual([false, false, false, false, true]);
    expect(throttle.reserve('nurse', '10.0.0.1')).toMatchObject({ reason: 'account-locked', retryAfterMs: 15 * 60_000 });
    // Not from another address.
    expect(isAttempt(throttle.reserve('nurse', '10.0.0.2'))).toBe(true);
  });

  it('frees the place of a pending attempt that succeeds or is never checked, and forgets the account’s failures on success', () => {
    const throttle = new LoginThrottle(new TestClock(), options);
    for (let i = 0; i < 4; i += 1) attempt(throttle.reserve('nurse', 'a')).failed();
    const last = attempt(throttle.reserve('nurse', 'a'));
    expect(isAttempt(throttle.reserve('nurse', 'a'))).toBe(false);
    last.cancelled();
    attempt(throttle.reserve('nurse', 'a')).succeeded();
    for (let i = 0; i < 4; i += 1) expect(attempt(throttle.reserve('nurse', 'a')).failed()).toBe(false);
  });

  it('limits an address to 20 failed or pending attempts whatever the account; successes do not count', () => {
    const clock = new TestClock();
    const throttle = new LoginThrottle(clock, options);
    attempt(throttle.reserve('nurse', 'a')).succeeded();
    const pending = Array.from({ length: 20 }, (_, i) => attempt(throttle.reserve(`user-${i}`, 'a')));
    expect(throttle.reserve('someone', 'a')).toEqual({ reason: 'address-limited', retryAfterMs: 5_000 });
    for (const p of pending) p.failed();
    clock.ms += 60_000;
    expect(throttle.reserve('someone', 'a')).toEqual({ reason: 'address-limited', retryAfterMs: 14 * 60_000 });
    expect(isAttempt(throttle.reserve('someone', 'b'))).toBe(true);
    // The window passes.
    clock.ms += 14 * 60_000;
    expect(isAttempt(throttle.reserve('someone', 'a'))).toBe(true);
  });

  it('settles an attempt once only', () => {
    const throttle = new LoginThrottle(new TestClock(), options);
    const a = attempt(throttle.reserve('nurse', 'a'));
    a.failed();
    a.failed();
    a.cancelled();
    for (let i = 0; i < 3; i += 1) attempt(throttle.reserve('nurse', 'a')).failed();
    expect(attempt(throttle.reserve('nurse', 'a')).failed()).toBe(true); // the fifth failure, not the sixth
  });

  it('unlocks an account for every address', () => {
    const throttle = new LoginThrottle(new TestClock(), options);
    for (const address of ['a', 'b', null]) for (let i = 0; i < 5; i += 1) attempt(throttle.reserve('nurse', address)).failed();
    expect(isAttempt(throttle.reserve('nurse', 'a'))).toBe(false);
    throttle.unlock('nurse');
    for (const address of ['a', 'b', null]) expect(isAttempt(throttle.reserve('nurse', address)), String(address)).toBe(true);
  });
});
