import { Link, NavLink, Navigate, Route, Routes } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { useAppStore } from '../../store/store-context';
import { AuditSection } from './AuditSection';
import { ChairsSection } from './ChairsSection';
import { DeviceTokensSection } from './DeviceTokensSection';
import { MonitorsSection } from './MonitorsSection';
import { ProtocolsSection } from './ProtocolsSection';
import { DemoSection } from './DemoSection';
import { UsersSection } from './UsersSection';

const sections = [
  { path: 'users', label: 'Users', element: <UsersSection /> },
  { path: 'device-tokens', label: 'Device tokens', element: <DeviceTokensSection /> },
  { path: 'chairs', label: 'Chairs', element: <ChairsSection /> },
  { path: 'monitors', label: 'Bedside monitors', element: <MonitorsSection /> },
  { path: 'protocols', label: 'Protocols', element: <ProtocolsSection /> },
  { path: 'audit', label: 'Audit trail', element: <AuditSection /> },
  { path: 'demo', label: 'Demo', element: <DemoSection /> },
] as const;

/** `/admin/*`: accounts, device tokens, chairs, HL7 monitors, protocols and the audit trail (admins only). */
export function AdminPage() {
  const isAdmin = useAppStore((s) => s.auth.user?.role === 'admin');
  if (!isAdmin) {
    return (
      <section className="page">
        <PageTitle title="Admin" />
        <p className="empty-state" role="alert">
          Only administrators can open the admin pages. <Link to="/">Back to all chairs</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="page admin" aria-labelledby="admin-heading">
      <div className="page__bar">
        <h1 id="admin-heading" className="page__title">
          Admin
        </h1>
        <Link to="/" className="admin__grid-link">
          Open the chair grid
        </Link>
      </div>
      <nav className="admin-tabs" aria-label="Admin sections">
        {sections.map(({ path, label }) => (
          <NavLink key={path} to={`/admin/${path}`} className="admin-tabs__link">
            {label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Navigate to="/admin/users" replace />} />
        {sections.map(({ path, element }) => (
          <Route key={path} path={path} element={element} />
        ))}
        <Route path="*" element={<Navigate to="/admin/users" replace />} />
      </Routes>
    </section>
  );
}
