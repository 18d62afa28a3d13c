import type { Clock } from '../clock';

export interface LoginThrottleOptions {
  /** Failed logins of one account within `windowMs` that lock it. */
  maxFailuresPerAccount: number;
  /** Failed logins from one address within `windowMs` (successes are not counted, so a shared workstation at shift change is fine). */
  maxAttemptsPerAddress: number;
  windowMs: number;
  /** How long a locked account stays locked. */
  lockoutMs: number;
}

export const defaultLoginThrottle: LoginThrottleOptions = {
  maxFailuresPerAccount: 5,
  maxAttemptsPerAddress: 20,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
};

/**
 * Slows password guessing: an account locks after repeated failures, an address is limited in how
 * often it may try. Kept in memory (a restart forgets it, which errs toward letting staff in).
 */
export class LoginThrottle {
  private failures = new Map<string, number[]>();
  private lockedUntil = new Map<string, number>();
  private attempts = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly options: LoginThrottleOptions = defaultLoginThrottle,
  ) {}

  private recent(times: number[] | undefined, now: number): number[] {
    return (times ?? []).filter((t) => now - t < this.options.windowMs);
  }

  /** Milliseconds until this login may be tried, or 0 when it may be tried now. */
  retryAfterMs(username: string, address: string | null): number {
    const now = this.clock.now();
    const locked = (this.lockedUntil.get(username) ?? 0) - now;
    if (locked > 0) return locked;
    if (address !== null) {
      const attempts = this.recent(this.attempts.get(address), now);
      if (attempts.length >= this.options.maxAttemptsPerAddress) {
        return (attempts[0] ?? now) + this.options.windowMs - now;
      }
    }
    return 0;
  }

  /** Whether the account is locked now. */
  isLocked(username: string): boolean {
    return (this.lockedUntil.get(username) ?? 0) > this.clock.now();
  }

  recordAttempt(address: string | null): void {
    if (address === null) return;
    const now = this.clock.now();
    this.attempts.set(address, [...this.recent(this.attempts.get(address), now), now]);
  }

  /** Returns true when this failure locked the account. */
  recordFailure(username: string): boolean {
    const now = this.clock.now();
    const failures = [...this.recent(this.failures.get(username), now), now];
    this.failures.set(username, failures);
    if (failures.length >= this.options.maxFailuresPerAccount) {
      this.lockedUntil.set(username, now + this.options.lockoutMs);
      this.failures.delete(username);
      return true;
    }
    return false;
  }

  recordSuccess(username: string): void {
    this.failures.delete(username);
  }

  /** An admin unlocks an account (e.g. after resetting its password). */
  unlock(username: string): void {
    this.lockedUntil.delete(username);
    this.failures.delete(username);
  }
}
