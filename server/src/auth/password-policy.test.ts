import { describe, expect, it } from 'vitest';
import { commonPasswordCount, passwordWeakness } from './password-policy';

describe('password deny-list', () => {
  it('ships a few hundred common passwords', () => {
    expect(commonPasswordCount).toBeGreaterThan(400);
  });

  it('refuses common passwords case-insensitively, also with digits or symbols added at the end', () => {
    for (const password of ['password', 'PASSWORD', 'Password1', 'password123!', 'qwertyuiop', 'iloveyou', 'Sunshine2024!', 'letmein!!', 'Monkey12345', 'chairside2026', 'Ketamine#1', '12345678', '11111111']) {
      expect(passwordWeakness(password), password).toMatch(/most commonly used passwords/);
    }
  });

  it('refuses the username as password', () => {
    expect(passwordWeakness('JSmith77', 'jsmith77')).toMatch(/not be the username/);
    expect(passwordWeakness('jsmith77!', 'jsmith77')).toMatch(/not be the username/);
  });

  it('accepts a passphrase of one’s own', () => {
    for (const password of ['plum tree at dusk', 'correct horse battery', 'e2e-admin-password', 'real-admin-password', 'a-long-password', 'Tr0ub4dor&3x', 'password manager 7 keys']) {
      expect(passwordWeakness(password, 'admin'), password).toBeNull();
    }
  });
});
