import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';

/** scrypt (memory-hard) parameters: N=2^15, r=8, p=1 uses 32 MiB per hash. */
const params = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const maxmem = 64 * 1024 * 1024;

/**
 * scrypt runs on libuv's thread pool (4 threads by default), which static files, compression and DNS
 * share. A login flood must never take every thread: at most `maxRunning` hashes run at once (one
 * core left to the event loop, never more than half the pool) and at most `maxWaiting` password
 * checks wait behind them. A check beyond that is refused at once (`PasswordWorkBusyError`, the login
 * answers 503) instead of queueing seconds of work.
 */
export const passwordWorkLimits = {
  maxRunning: Math.max(1, Math.min(2, availableParallelism() - 1)),
  maxWaiting: 32,
} as const;

/** A password check refused because too many are running or waiting already. */
export class PasswordWorkBusyError extends Error {
  constructor() {
    super('too many password checks at once');
    this.name = 'PasswordWorkBusyError';
  }
}

let running = 0;
const waiting: (() => void)[] = [];

/** Hashes running and waiting now (tests and diagnostics). */
export function passwordWorkLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

/**
 * Runs `work` in one of the `maxRunning` slots. `refuseWhenFull`: a login's check, refused when
 * `maxWaiting` are waiting already; an admin's hashing of a new password always waits its turn.
 */
async function inSlot<T>(work: () => Promise<T>, refuseWhenFull: boolean): Promise<T> {
  if (running < passwordWorkLimits.maxRunning) {
    running += 1;
  } else {
    if (refuseWhenFull && waiting.length >= passwordWorkLimits.maxWaiting) throw new PasswordWorkBusyError();
    // The slot is handed over by the one finishing (`running` stays as it is).
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** `scrypt$N$r$p$salt$hash`, salt and hash base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await inSlot(() => scrypt(password, salt, params.keyLength, { N: params.N, r: params.r, p: params.p, maxmem }), false);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Throws `PasswordWorkBusyError` when too many checks are running and waiting already. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await inSlot(
    () =>
      scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
        N: Number(n),
        r: Number(r),
        p: Number(p),
        maxmem,
      }),
    true,
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | null = null;

/** A hash to verify against when the user does not exist, so timing does not tell who does. */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword('not-a-real-password');
  return dummy;
}
