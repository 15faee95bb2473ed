import { useQuery } from '@tanstack/react-query';
import type { Permission } from '@ums/shared';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { ConfirmIdentityProvider } from './components/confirm-identity.tsx';
import { ErrorBanner } from './components/error-banner.tsx';
import { Layout } from './components/layout.tsx';
import { CallerProvider, useCaller } from './permissions.tsx';
import { navigate, useRoute } from './router.tsx';
import { AccountScreen } from './screens/account.tsx';
import { AuditLogScreen } from './screens/audit-log.tsx';
import { ConfirmEmailChangeScreen } from './screens/confirm-email-change.tsx';
import { EnrolmentScreen } from './screens/enrolment.tsx';
import { ForgotPasswordScreen } from './screens/forgot-password.tsx';
import { ResetPasswordScreen } from './screens/reset-password.tsx';
import { RolesScreen } from './screens/roles.tsx';
import { SignInScreen } from './screens/sign-in.tsx';
import { UserDetailScreen } from './screens/user-detail.tsx';
import { UsersScreen } from './screens/users.tsx';
import { VerifyEmailScreen } from './screens/verify-email.tsx';
import { WebhooksScreen } from './screens/webhooks.tsx';
import { useSession } from './session.tsx';
import { useTRPC } from './trpc.ts';

// The dashboard alone draws charts: recharts (about half the console's code) loads only when it is opened.
const DashboardScreen = lazy(() => import('./screens/dashboard.tsx').then((module) => ({ default: module.DashboardScreen })));

/** Pages anyone may open, signed in or not: where mailed links lead, and the way to ask for a reset link. */
const PUBLIC_SCREENS: Readonly<Record<string, () => ReactNode>> = {
  '/forgot-password': ForgotPasswordScreen,
  '/reset-password': ResetPasswordScreen,
  '/verify-email': VerifyEmailScreen,
  '/confirm-email-change': ConfirmEmailChangeScreen,
};

export function App() {
  const { signedIn } = useSession();
  const PublicScreen = PUBLIC_SCREENS[useRoute()];
  if (PublicScreen) return <PublicScreen />;
  return signedIn ? <SignedIn /> : <SignInScreen />;
}

function SignedIn() {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  const mfa = useQuery(trpc.me.mfa.get.queryOptions());
  if (me.isPending || mfa.isPending) return <p className="loading">Loading…</p>;
  if (me.error || mfa.error) return <ErrorBanner error={me.error ?? mfa.error} />;
  // A role requires a second factor and there is none: nothing else works until one is set up.
  const mustEnrol = mfa.data.required && !mfa.data.totp.enabled;
  return (
    <ConfirmIdentityProvider>
      {mustEnrol ? (
        <EnrolmentScreen />
      ) : (
        <CallerProvider me={me.data}>
          <Layout>
            <Screen />
          </Layout>
        </CallerProvider>
      )}
    </ConfirmIdentityProvider>
  );
}

/** Screens the caller lacks the permission for are not offered, and say so when reached by address. */
function Guarded({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useCaller();
  if (can(permission)) return <>{children}</>;
  return (
    <section>
      <h1>Not available</h1>
      <p>Your account does not have access to this page.</p>
    </section>
  );
}

function Home() {
  const { can } = useCaller();
  useEffect(() => navigate(can('users:read') ? '/dashboard' : '/account', { replace: true }), [can]);
  return null;
}

function Screen() {
  const route = useRoute();
  const userMatch = /^\/users\/([^/]+)$/.exec(route);
  if (route === '/') return <Home />;
  if (route === '/dashboard')
    return (
      <Guarded permission="users:read">
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <DashboardScreen />
        </Suspense>
      </Guarded>
    );
  if (route === '/users')
    return (
      <Guarded permission="users:read">
        <UsersScreen />
      </Guarded>
    );
  if (userMatch?.[1])
    return (
      <Guarded permission="users:read">
        <UserDetailScreen key={userMatch[1]} id={userMatch[1]} />
      </Guarded>
    );
  if (route === '/roles')
    return (
      <Guarded permission="roles:read">
        <RolesScreen />
      </Guarded>
    );
  if (route === '/audit')
    return (
      <Guarded permission="audit:read">
        <AuditLogScreen />
      </Guarded>
    );
  if (route === '/webhooks')
    return (
      <Guarded permission="webhooks:manage">
        <WebhooksScreen />
      </Guarded>
    );
  if (route === '/account') return <AccountScreen />;
  return (
    <section>
      <h1>Page not found</h1>
    </section>
  );
}
