import type { Permission } from '@ums/shared';
import type { ReactNode } from 'react';
import { useCaller } from '../permissions.tsx';
import { Link, useRoute } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ImpersonationBanner } from './impersonation-banner.tsx';

interface NavItem {
  to: string;
  label: string;
  permission?: Permission;
}

// Admin screens appear only with the permission they need; everyone has their own account.
const NAV: NavItem[] = [
  { to: '/dashboard', label: 'Dashboard', permission: 'users:read' },
  { to: '/users', label: 'Users', permission: 'users:read' },
  { to: '/roles', label: 'Roles', permission: 'roles:read' },
  { to: '/audit', label: 'Audit log', permission: 'audit:read' },
  { to: '/webhooks', label: 'Webhooks', permission: 'webhooks:manage' },
  { to: '/account', label: 'My account' },
];

export function Layout({ children }: { children: ReactNode }) {
  const { me, can } = useCaller();
  const { signOut } = useSession();
  const route = useRoute();
  const items = NAV.filter((item) => !item.permission || can(item.permission));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">User management</span>
        <nav aria-label="Main">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={route === item.to || route.startsWith(`${item.to}/`) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span title={me.email}>{me.fullName ?? me.email}</span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ImpersonationBanner />
        {children}
      </main>
    </>
  );
}
