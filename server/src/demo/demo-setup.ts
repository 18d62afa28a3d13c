import type { DemoAccount, Role } from '@chairside/shared';
import type { AuthService } from '../auth/auth.service';
import type { ChairsService } from '../chairs/chairs.service';
import type { Store } from '../store/store';

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
 */
export async function setUpDemo(
  store: Store,
  auth: AuthService,
  chairs: ChairsService,
  chairCount: number,
): Promise<DemoAccount[]> {
  for (let n = 1; n <= chairCount; n += 1) {
    await chairs.ensure({ id: demoChairId(n), name: `Chair ${n}`, hl7Bed: null, position: n });
  }
  const accounts: DemoAccount[] = [];
  for (const user of demoUsers) {
    const existing = await store.findUserByUsername(user.username);
    if (existing && !existing.isDemo) continue; // a real account of that name wins
    if (!existing) await auth.createUser({ ...user, password: demoPassword, isDemo: true });
    accounts.push({ username: user.username, password: demoPassword, role: user.role });
  }
  await store.setDemoUsersDisabled(false);
  return accounts;
}

/** On an empty database, creates `admin` with the given password (ADMIN_PASSWORD). */
export async function bootstrapAdmin(store: Store, auth: AuthService, password: string | undefined): Promise<boolean> {
  if (password === undefined || (await store.countUsers()) > 0) return false;
  await auth.createUser({ username: 'admin', password, role: 'admin', displayName: 'Administrator' });
  return true;
}
