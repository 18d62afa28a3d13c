import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useAppStore } from '../../store/store-context';

/**
 * An admin who logs in (or opens the app) on the chair grid lands on the admin pages instead; the
 * grid stays one tap away (the brand link, "Open the chair grid"). Once per login: render it in the
 * logged-in layout.
 */
export function AdminLanding() {
  const isAdmin = useAppStore((s) => s.auth.user?.role === 'admin');
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const landed = useRef(false);
  useEffect(() => {
    if (landed.current) return;
    landed.current = true;
    if (isAdmin && pathname === '/') void navigate('/admin', { replace: true });
  }, [isAdmin, navigate, pathname]);
  return null;
}
