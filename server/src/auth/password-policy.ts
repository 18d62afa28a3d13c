import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The deny-list shipped beside this file (`common-passwords.txt`), lowercase. */
const commonPasswords: ReadonlySet<string> = new Set(
  fs
    .readFileSync(fileURLToPath(new URL('./common-passwords.txt', import.meta.url)), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

/** How many passwords the deny-list holds (tests). */
export const commonPasswordCount = commonPasswords.size;

/**
 * Why a password may not be used by any account, or null when it may. Refused: one of the common
 * passwords (as typed, case-insensitively, or once trailing digits and symbols are removed, so
 * "Password123!" is refused with "password"), or the username itself (likewise).
 */
export function passwordWeakness(password: string, username?: string): string | null {
  const lower = password.trim().toLowerCase();
  const stem = stemOf(lower);
  if (commonPasswords.has(lower) || (stem.length > 0 && commonPasswords.has(stem))) {
    return 'this password is one of the most commonly used passwords (or one of them followed by digits or symbols), which are guessed first; choose a longer passphrase of your own';
  }
  if (username !== undefined) {
    const name = username.trim().toLowerCase();
    if (lower === name || (stem.length > 0 && stem === stemOf(name))) return 'the password must not be the username';
  }
  return null;
}

/** Without trailing digits and symbols: "sunshine2024!" → "sunshine". */
function stemOf(text: string): string {
  return text.replace(/[\d\W_]+$/u, '');
}
