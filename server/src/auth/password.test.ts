import { describe, expect, it } from 'vitest';
import { hashPassword, passwordWorkLimits, passwordWorkLoad, PasswordWorkBusyError, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password only', async () => {
    const stored = await hashPassword('plum tree at dusk');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('plum tree at dusk', stored)).toBe(true);
    expect(await verifyPassword('plum tree at dawn', stored)).toBe(false);
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
  });

  it('runs at most maxRunning hashes at once, lets maxWaiting wait, and refuses further checks at once', async () => {
    const stored = await hashPassword('plum tree at dusk');
    const total = passwordWorkLimits.maxRunning + passwordWorkLimits.maxWaiting + 10;
    const checks = Array.from({ length: total }, () => verifyPassword('guess', stored).then(() => 'checked', (error: unknown) => (error instanceof PasswordWorkBusyError ? 'busy' : 'error')));
    const peak = passwordWorkLoad().running;
    expect(passwordWorkLoad().waiting).toBe(passwordWorkLimits.maxWaiting);
    const outcomes = await Promise.all(checks);
    expect(peak).toBe(passwordWorkLimits.maxRunning);
    expect(outcomes.filter((o) => o === 'checked')).toHaveLength(passwordWorkLimits.maxRunning + passwordWorkLimits.maxWaiting);
    expect(outcomes.filter((o) => o === 'busy')).toHaveLength(10);
    expect(passwordWorkLoad()).toEqual({ running: 0, waiting: 0 });
    // Hashing a new password waits its turn instead of being refused.
    const full = passwordWorkLimits.maxRunning + passwordWorkLimits.maxWaiting;
    const hashes = await Promise.allSettled([...Array.from({ length: full + 1 }, () => verifyPassword('guess', stored)), hashPassword('another passphrase')]);
    expect(hashes.filter((h) => h.status === 'rejected')).toHaveLength(1);
    expect(hashes.at(-1)?.status).toBe('fulfilled');
  }, 60_000);
});
