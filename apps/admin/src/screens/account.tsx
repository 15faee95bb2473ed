import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Card } from '../components/card.tsx';
import { EmailChangeForm } from '../components/email-change-form.tsx';
import { EmailVerifiedBadge } from '../components/email-verified-badge.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { ExportCard } from '../components/export-card.tsx';
import { LinkSentNotice, useLinkRequest } from '../components/link-request.tsx';
import { PasskeysCard } from '../components/passkeys-card.tsx';
import { PreferencesForm } from '../components/preferences-form.tsx';
import { ProfileForm } from '../components/profile-form.tsx';
import { saveStateOf } from '../components/save-state.ts';
import { SecurityCard } from '../components/security-card.tsx';
import { SettingsEditor } from '../components/settings-editor.tsx';
import { formatTime } from '../format.ts';
import { useTRPC } from '../trpc.ts';

/** The signed-in user's own profile, preferences, settings and sessions: all anyone may see without admin rights. */
export function AccountScreen() {
  return (
    <section aria-labelledby="account-title" className="stack">
      <h1 id="account-title">My account</h1>
      <ProfileCard />
      <EmailCard />
      <SecurityCard />
      <PasskeysCard />
      <PreferencesCard />
      <SessionsCard />
      <SettingsCard />
      <ExportCard />
    </section>
  );
}

/** Preferences, settings and the profile's timezone are views of the same values: a change to one refreshes all. */
function useOwnDataChanged() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    for (const key of [trpc.me.get.pathKey(), trpc.me.preferences.pathKey(), trpc.me.settings.pathKey()]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  };
}

function ProfileCard() {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  const changed = useOwnDataChanged();
  const update = useMutation(trpc.me.update.mutationOptions({ onSuccess: changed }));
  return (
    <Card titleId="my-profile-title" title="Profile">
      <ErrorBanner error={me.error} />
      {me.data && (
        <>
          <p className="muted">
            {me.data.email} · roles: {me.data.roles.join(', ')}
          </p>
          <ProfileForm
            user={me.data}
            withEmail={false}
            {...saveStateOf(update, me)}
            onSave={({ email: _email, ...changes }) => update.mutate(changes)}
          />
        </>
      )}
    </Card>
  );
}

/** The address, whether it is proven, and the way to a new one. */
function EmailCard() {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  const resend = useLinkRequest('verification');
  if (!me.data) return null;
  const { email, emailVerifiedAt } = me.data;
  return (
    <Card titleId="email-title" title="Email address" badge={<EmailVerifiedBadge verifiedAt={emailVerifiedAt} />}>
      {emailVerifiedAt ? (
        <p>
          <strong>{email}</strong> <span className="muted">· verified {formatTime(emailVerifiedAt)}</span>
        </p>
      ) : (
        <>
          <p>
            <strong>{email}</strong> <span className="muted">· not verified yet: follow the link that was mailed to it.</span>
          </p>
          <ErrorBanner error={resend.error} />
          {resend.data ? (
            <LinkSentNotice message={resend.data.message} purpose="verification" />
          ) : (
            <p>
              <button type="button" disabled={resend.isPending} onClick={() => resend.mutate(email)}>
                {resend.isPending ? 'Sending…' : 'Send verification link'}
              </button>
            </p>
          )}
        </>
      )}
      <h3>Change email</h3>
      <EmailChangeForm />
    </Card>
  );
}

function PreferencesCard() {
  const trpc = useTRPC();
  const preferences = useQuery(trpc.me.preferences.get.queryOptions());
  const changed = useOwnDataChanged();
  const update = useMutation(trpc.me.preferences.update.mutationOptions({ onSuccess: changed }));
  return (
    <Card titleId="preferences-title" title="Preferences">
      <ErrorBanner error={preferences.error} />
      {preferences.data && (
        <PreferencesForm
          preferences={preferences.data}
          {...saveStateOf(update, preferences)}
          onSave={(draft, expectedVersion) => update.mutate({ ...draft, expectedVersion })}
        />
      )}
    </Card>
  );
}

function SessionsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.me.sessions.list.queryOptions());
  const revoke = useMutation(
    trpc.me.sessions.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.me.sessions.list.pathKey() }),
    }),
  );
  return (
    <Card titleId="sessions-title" title="Where you are signed in">
      <ErrorBanner error={sessions.error ?? revoke.error} />
      {sessions.data && (
        <ul className="plain-list">
          {sessions.data.items.map((session) => (
            <li key={session.id} className="session">
              <span>
                <strong>{session.userAgent ?? 'Unknown device'}</strong>
                <span className="muted">
                  {' '}
                  · {session.ip ?? 'unknown address'} · signed in {formatTime(session.createdAt)} · last used{' '}
                  {formatTime(session.lastUsedAt)}
                </span>
              </span>
              {session.current ? (
                <span className="badge badge--ok">This session</span>
              ) : (
                <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate({ sessionId: session.id })}>
                  Sign out this session
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function SettingsCard() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.me.settings.get.queryOptions());
  const changed = useOwnDataChanged();
  const update = useMutation(trpc.me.settings.update.mutationOptions({ onSuccess: changed }));
  return (
    <Card titleId="my-settings-title" title="Settings">
      <ErrorBanner error={settings.error} />
      {settings.data && (
        <SettingsEditor
          settings={settings.data.settings}
          version={settings.data.version}
          {...saveStateOf(update, settings)}
          onSave={(changes, expectedVersion) => update.mutate({ settings: changes, expectedVersion })}
        />
      )}
    </Card>
  );
}
