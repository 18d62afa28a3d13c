import type { DemoAccount, Role } from '@chairside/shared';
import type { AuthService } from '../auth/auth.service';
import type { ChairsService } from '../chairs/chairs.service';
import type { Store } from '../store/store';
import { hashPassword } from '../auth/password';
import { passwordWeakness } from '../auth/password-policy';

export const demoChairId = (n: number): string => `chair-${n}`;

const demoUsers: { username: string; role: Role; displayName: string }[] = [
  { username: 'nurse', role: 'nurse', displayName: 'Demo Nurse' },
  { username: 'clinician', role: 'clinician', displayName: 'Demo Clinician' },
  { username: 'admin', role: 'admin', displayName: 'Demo Admin' },
];
const demoPassword = 'demo';

/**
 * Demo mode: chairs "Chair 1…N" and a login per role with a published password. The demo
 * accounts are marked as such, and disabled again whenever the server starts without demo mode.
 *
 * A database that has any real (non-demo) account is a clinic's: there the demo accounts never come
 * back (they stay disabled, none is created, the login page shows none) and this returns [].
 */
export async function setUpDemo(
  store: Pick<Store, 'accounts'>,
  auth: AuthService,
  chairs: ChairsService,
  chairCount: number,
): Promise<DemoAccount[]> {
  for (let n = 1; n <= chairCount; n += 1) {
    await chairs.ensure({ id: demoChairId(n), name: `Chair ${n}`, hl7Bed: null, position: n });
  }
  if ((await store.accounts.listUsers()).some((u) => !u.isDemo)) {
    await store.accounts.setDemoUsersDisabled(true);
    return [];
  }
  const accounts: DemoAccount[] = [];
  for (const user of demoUsers) {
    if (!(await store.accounts.findUserByUsername(user.username))) await auth.createUser({ ...user, password: demoPassword, isDemo: true });
    accounts.push({ username: user.username, password: demoPassword, role: user.role });
  }
  await store.accounts.setDemoUsersDisabled(false);
  return accounts;
}

/** ADMIN_PASSWORD is on the deny-list of common passwords (the server does not start). */
export class AdminPasswordError extends Error {}

/**
 * With ADMIN_PASSWORD set, makes sure the clinic has a real (non-demo) admin: on an empty database
 * it creates `admin`; on a database left by demo mode it turns the demo `admin` into a real account
 * with this password. A database that has a real admin already is left alone. A common password
 * (the deny-list every account's password is checked against) is refused: `AdminPasswordError`.
 */
export async function bootstrapAdmin(store: Pick<Store, 'accounts'>, auth: AuthService, password: string | undefined): Promise<boolean> {
  if (password === undefined) return false;
  const users = await store.accounts.listUsers();
  if (users.some((u) => u.role === 'admin' && !u.isDemo)) return false;
  const weakness = passwordWeakness(password, 'admin');
  if (weakness !== null) throw new AdminPasswordError(`ADMIN_PASSWORD cannot be used: ${weakness}.`);
  const demoAdmin = users.find((u) => u.username === 'admin' && u.isDemo);
  if (demoAdmin) {
    await store.accounts.updateUser(demoAdmin.id, { passwordHash: await hashPassword(password), disabled: false, isDemo: false, role: 'admin' });
    return true;
  }
  if (users.some((u) => u.username === 'admin')) return false;
  await auth.createUser({ username: 'admin', password, role: 'admin', displayName: 'Administrator' });
  return true;
}
