import type { Role } from '@chairside/shared';
import { formatDateTime } from '../chairs/vital-format';

export const roleLabels: Record<Role, string> = { nurse: 'Nurse', clinician: 'Clinician', admin: 'Admin' };
export const roleOptions = (Object.keys(roleLabels) as Role[]).map((role) => ({ value: role, label: roleLabels[role] }));

export function isRole(value: string): value is Role {
  return value in roleLabels;
}

/** "22 Nov 2026, 10:15:00", or the text as sent when it is not an instant. */
export function formatInstant(iso: string | null, none = '—'): string {
  if (iso === null) return none;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatDateTime(ms);
}
