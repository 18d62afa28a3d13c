import { useCallback, useEffect } from 'react';
import { NavLink, useLocation } from 'react-router';
import { useServices } from '../../app-services';
import { useLoad } from '../../hooks/use-load';
import { useAppStore } from '../../store/store-context';
import { remsChangedEvent } from './rems-fields';
import '../../styles/rems.css';

/**
 * The header's way to the REMS forms, for clinicians (who sign them), with the count of forms due: "REMS 3 due". It
 * asks again whenever the page changes and when a form was signed or submitted on this screen.
 */
export function RemsNavLink() {
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  if (role !== 'clinician') return null;
  return <RemsLinkWithCount />;
}

function RemsLinkWithCount() {
  const { api } = useServices();
  const { pathname } = useLocation();
  const load = useCallback(() => api.remsQueue('draft'), [api]);
  const result = useLoad(load, pathname);
  const { reload } = result;
  useEffect(() => {
    window.addEventListener(remsChangedEvent, reload);
    return () => window.removeEventListener(remsChangedEvent, reload);
  }, [reload]);
  const due = result.value?.length ?? 0;
  const overdue = result.value?.filter((item) => item.daysLeft < 0).length ?? 0;
  return (
    <NavLink to="/rems" className={({ isActive }) => `button button--quiet app-header__nav-link rems-nav${isActive ? ' is-active' : ''}`}>
      REMS
      {due > 0 && ' '}
      {due > 0 && (
        <span className={`rems-nav__badge${overdue > 0 ? ' is-overdue' : ''}`}>
          {due} <span className="rems-nav__word">due{overdue > 0 ? `, ${overdue} overdue` : ''}</span>
        </span>
      )}
    </NavLink>
  );
}
