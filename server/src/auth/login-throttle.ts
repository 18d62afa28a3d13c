import type { Clock } from '../clock';

export interface LoginThrottleOptions {
  /** Failed logins of one account from one address within `windowMs` that lock the account for that address. */
  maxFailuresPerAccount: number;
  /** Failed logins from one address within `windowMs`, whatever the account (successes are not counted, so a shared workstation at shift change is fine). */
  maxAttemptsPerAddress: number;
  windowMs: number;
  /** How long a locked account stays locked for the address that locked it. */
  lockoutMs: number;
}

export const defaultLoginThrottle: LoginThrottleOptions = {
  maxFailuresPerAccount: 5,
  maxAttemptsPerAddress: 20,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
};

/** A login may not be tried now: why, and for how long. */
export interface LoginRefusal {
  retryAfterMs: number;
  /**
   * `account-locked`: this account failed too often from this address; `account-busy`: as many
   * attempts of this account from this address are being checked as may still fail;
   * `address-limited`: this address failed (or is trying) too often, whatever the account.
   */
  reason: 'account-locked' | 'account-busy' | 'address-limited';
}

/** A login attempt holding its place in the counts until its password check settles it. */
export interface LoginAttempt {
  /** The password was right: the account's failures from this address are forgotten. */
  succeeded(): void;
  /** The password was wrong (or the account unknown or disabled). True when this failure locked the account for this address. */
  failed(): boolean;
  /** The password was never checked (the server was too busy): the attempt counts for nothing. */
  cancelled(): void;
}

/** While attempts are only pending (nothing failed yet), a refusal says to come back this soon. */
const pendingRetryMs = 5_000;
/** Entries are swept of expired times once the maps hold this many keys. */
const sweepAbove = 10_000;

/**
 * Slows password guessing. Every attempt takes its place in the counts *before* its password is
 * checked (`reserve`) and is settled after, so attempts sent in parallel can never together exceed
 * the limits: at most `maxFailuresPerAccount` checks per account and address, at most
 * `maxAttemptsPerAddress` per address, however many arrive at once.
 *
 * An account locks only for the address it was guessed from, so nobody can lock a user (the only
 * admin included) out from another machine; guessing from many addresses is limited per address.
 * Kept in memory (a restart forgets it, which errs toward letting staff in).
 */
export class LoginThrottle {
  /** Failure times per account and address (`accountKey`). */
  private accountFailures = new Map<string, number[]>();
  private accountPending = new Map<string, number>();
  private lockedUntil = new Map<string, number>();
  /** Failure times per address. */
  private addressFailures = new Map<string, number[]>();
  private addressPending = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly options: LoginThrottleOptions = defaultLoginThrottle,
  ) {}

  private recent(times: number[] | undefined, now: number): number[] {
    return (times ?? []).filter((t) => now - t < this.options.windowMs);
  }

  /**
   * Takes a place for one login attempt of `username` from `address` (null: unknown, counted as one
   * address of its own), or says why it may not be tried now. Synchronous: no other attempt can
   * slip in between the check and the count.
   */
  reserve(username: string, address: string | null): LoginAttempt | LoginRefusal {
    const now = this.clock.now();
    this.sweep(now);
    const account = accountKey(username, address);
    const from = address ?? '';
    const locked = (this.lockedUntil.get(account) ?? 0) - now;
    if (locked > 0) return { reason: 'account-locked', retryAfterMs: locked };
    const accountFailures = this.recent(this.accountFailures.get(account), now);
    const accountPending = this.accountPending.get(account) ?? 0;
    if (accountFailures.length + accountPending >= this.options.maxFailuresPerAccount) {
      // Only reachable with attempts still pending: the last recorded failure would have locked it.
      return { reason: 'account-busy', retryAfterMs: pendingRetryMs };
    }
    const addressFailures = this.recent(this.addressFailures.get(from), now);
    const addressPending = this.addressPending.get(from) ?? 0;
    if (addressFailures.length + addressPending >= this.options.maxAttemptsPerAddress) {
      const oldest = addressFailures[0];
      const retryAfterMs =
        addressFailures.length >= this.options.maxAttemptsPerAddress && oldest !== undefined
          ? oldest + this.options.windowMs - now
          : pendingRetryMs;
      return { reason: 'address-limited', retryAfterMs };
    }
    increment(this.accountPending, account, 1);
    increment(this.addressPending, from, 1);

    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      increment(this.accountPending, account, -1);
      increment(this.addressPending, from, -1);
      return true;
    };
    return {
      succeeded: () => {
        if (settle()) this.accountFailures.delete(account);
      },
      failed: () => {
        if (!settle()) return false;
        const at = this.clock.now();
        this.addressFailures.set(from, [...this.recent(this.addressFailures.get(from), at), at]);
        const failures = [...this.recent(this.accountFailures.get(account), at), at];
        if (failures.length >= this.options.maxFailuresPerAccount) {
          this.lockedUntil.set(account, at + this.options.lockoutMs);
          this.accountFailures.delete(account);
          return true;
        }
        this.accountFailures.set(account, failures);
        return false;
      },
      cancelled: () => {
        settle();
      },
    };
  }

  /** An admin unlocks an account (e.g. after resetting its password), for every address. */
  unlock(username: string): void {
    const prefix = `${username}\n`;
    for (const map of [this.lockedUntil, this.accountFailures]) {
      for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key);
    }
  }

  /** Forgets expired entries once there are many (a spray from many addresses must not grow memory for ever). */
  private sweep(now: number): void {
    if (this.accountFailures.size + this.addressFailures.size + this.lockedUntil.size < sweepAbove) return;
    for (const [key, until] of this.lockedUntil) if (until <= now) this.lockedUntil.delete(key);
    for (const map of [this.accountFailures, this.addressFailures]) {
      for (const [key, times] of map) {
        const recent = this.recent(times, now);
        if (recent.length === 0) map.delete(key);
        else map.set(key, recent);
      }
    }
  }
}

/** Whether `reserve` answered with a place (as opposed to a refusal). */
export function isAttempt(value: LoginAttempt | LoginRefusal): value is LoginAttempt {
  return 'succeeded' in value;
}

function accountKey(username: string, address: string | null): string {
  return `${username}\n${address ?? ''}`;
}

function increment(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}
