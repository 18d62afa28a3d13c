import { useCallback, useEffect } from 'react';
import { NavLink, useLocation } from 'react-router';
import { useServices } from '../../app-services';
import { useLoad } from '../../hooks/use-load';
import { useAppStore } from '../../store/store-context';
import { remsChangedEvent } from './rems-fields';
import '../../styles/rems.css';

/** How many REMS forms wait for a clinician's signature, and how many of those are past their 7 days. */
export interface RemsDue {
  due: number;
  overdue: number;
}

/**
 * The forms due, for a clinician (who signs them); null for anyone else. Asked again whenever the page changes and
 * when a form was signed or submitted on this screen. The header asks once and shows it on the link and, where the
 * link folds behind "Menu", on the menu button.
 */
export function useRemsDue(): RemsDue | null {
  const role = useAppStore((s) => s.auth.user?.role ?? null);
  const { api } = useServices();
  const { pathname } = useLocation();
  const isClinician = role === 'clinician';
  const load = useCallback(() => (isClinician ? api.remsQueue('draft') : Promise.resolve(null)), [api, isClinician]);
  const result = useLoad(load, pathname);
  const { reload } = result;
  useEffect(() => {
    if (!isClinician) return;
    window.addEventListener(remsChangedEvent, reload);
    return () => window.removeEventListener(remsChangedEvent, reload);
  }, [reload, isClinician]);
  if (!isClinician) return null;
  const items = result.value ?? [];
  return { due: items.length, overdue: items.filter((item) => item.daysLeft < 0).length };
}

/** "1 REMS form due", "3 REMS forms due, 1 overdue". */
export function remsDueWords({ due, overdue }: RemsDue): string {
  return `${due} REMS form${due === 1 ? '' : 's'} due${overdue > 0 ? `, ${overdue} overdue` : ''}`;
}

/** The header's way to the REMS forms, for clinicians, with the count of forms due: "REMS 3 due". */
export function RemsNavLink({ due }: { due: RemsDue | null }) {
  if (due === null) return null;
  const { due: count, overdue } = due;
  return (
    <NavLink to="/rems" className={({ isActive }) => `button button--quiet app-header__nav-link rems-nav${isActive ? ' is-active' : ''}`}>
      REMS
      {count > 0 && ' '}
      {count > 0 && (
        <span className={`rems-nav__badge${overdue > 0 ? ' is-overdue' : ''}`}>
          {count} <span className="rems-nav__word">due{overdue > 0 ? `, ${overdue} overdue` : ''}</span>
        </span>
      )}
    </NavLink>
  );
}
