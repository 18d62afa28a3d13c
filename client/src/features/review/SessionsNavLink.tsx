import { NavLink } from 'react-router';
import { useAppStore } from '../../store/store-context';

/** The header's way to the session records: nurses and clinicians only (admins manage the system, not records). */
export function SessionsNavLink() {
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  if (role !== 'nurse' && role !== 'clinician') return null;
  return (
    <NavLink to="/sessions" className={({ isActive }) => `button button--quiet app-header__nav-link${isActive ? ' is-active' : ''}`}>
      Sessions
    </NavLink>
  );
}
