import { NavLink } from 'react-router';
import { useAppStore } from '../../store/store-context';

/** "Admin" in the header, for admins only. */
export function AdminNavLink() {
  const isAdmin = useAppStore((s) => s.auth.user?.role === 'admin');
  if (!isAdmin) return null;
  return (
    <NavLink to="/admin" className="button button--quiet app-header__link">
      Admin
    </NavLink>
  );
}
