import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Card } from '../components/card.tsx';
import { Checklist } from '../components/checklist.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { ExportCard } from '../components/export-card.tsx';
import { TextField } from '../components/field.tsx';
import { ProfileForm } from '../components/profile-form.tsx';
import { SaveActions } from '../components/save-actions.tsx';
import { saveStateOf } from '../components/save-state.ts';
import { SettingsEditor } from '../components/settings-editor.tsx';
import { useDraft } from '../components/use-draft.ts';
import { UserMfaCard } from '../components/user-mfa-card.tsx';
import { UserStatusBadge } from '../components/user-status-badge.tsx';
import { formatTime } from '../format.ts';
import { useCaller } from '../permissions.tsx';
import { Link } from '../router.tsx';
import { sameMembers } from '../same-members.ts';
import { type User, useTRPC } from '../trpc.ts';

/** After a change to one user: this user's cache gets the server's answer, and every list refetches. */
function useUserUpdated(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (user: User) => {
    queryClient.setQueryData(trpc.users.byId.queryKey({ id }), user);
    void queryClient.invalidateQueries({ queryKey: trpc.users.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
  };
}

export function UserDetailScreen({ id }: { id: string }) {
  const trpc = useTRPC();
  const { can, me } = useCaller();
  const user = useQuery(trpc.users.byId.queryOptions({ id }));
  const onUpdated = useUserUpdated(id);
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: onUpdated }));

  if (user.isPending) return <p aria-live="polite">Loading user…</p>;
  if (user.error) {
    return (
      <section>
        <p>
          <Link to="/users">← All users</Link>
        </p>
        <ErrorBanner error={user.error} />
      </section>
    );
  }
  const current = user.data;

  return (
    <section aria-labelledby="user-title" className="stack">
      <p>
        <Link to="/users">← All users</Link>
      </p>
      <header className="page-header">
        <h1 id="user-title">{current.fullName ?? current.email}</h1>
        <UserStatusBadge isActive={current.isActive} />
      </header>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{current.email}</dd>
        <dt>Two-factor</dt>
        <dd>{current.mfaEnabled ? 'On' : 'Off'}</dd>
        <dt>Email verified</dt>
        <dd>{current.emailVerifiedAt ? formatTime(current.emailVerifiedAt) : 'Not verified'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(current.createdAt)}</dd>
        <dt>Last sign-in</dt>
        <dd>{formatTime(current.lastLoginAt)}</dd>
        <dt>Version</dt>
        <dd>{current.version}</dd>
      </dl>

      <Card titleId="profile-title" title="Profile">
        <ProfileForm
          user={current}
          withEmail
          readOnly={!can('users:update')}
          {...saveStateOf(update, user)}
          onSave={(changes) => update.mutate({ id, ...changes })}
        />
      </Card>

      <RolesCard user={current} />
      <UserMfaCard user={current} />
      <StatusCard user={current} isSelf={current.id === me.id} />
      {can('audit:read') && <SignInsCard userId={id} />}
      <UserSettingsCard userId={id} />
      {can('users:read') && can('audit:read') && <ExportCard userId={id} />}
    </section>
  );
}

function RolesCard({ user }: { user: User }) {
  const trpc = useTRPC();
  const { can } = useCaller();
  const roles = useQuery({ ...trpc.rbac.roles.list.queryOptions(), enabled: can('roles:read') });
  const onUpdated = useUserUpdated(user.id);
  const setRoles = useMutation(trpc.users.roles.set.mutationOptions({ onSuccess: onUpdated }));
  const { draft: selected, setDraft: setSelected } = useDraft(() => user.roles, user.version);

  const editable = can('roles:assign') && roles.data;
  const dirty = !sameMembers(selected, user.roles);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setRoles.mutate({ id: user.id, roles: selected });
  };

  return (
    <Card titleId="roles-title" title="Roles">
      <form onSubmit={submit} aria-label="Roles">
        <ErrorBanner error={setRoles.error} />
        <Checklist
          legend="Roles of this user"
          hideLegend
          inputName="roles"
          options={roles.data?.items ?? user.roles.map((name) => ({ name }))}
          selected={selected}
          onChange={setSelected}
          disabled={!editable}
        />
        {editable && (
          <SaveActions label="Save roles" dirty={dirty} saving={setRoles.isPending} saved={setRoles.isSuccess} savedMessage="Roles saved" />
        )}
      </form>
    </Card>
  );
}

function StatusCard({ user, isSelf }: { user: User; isSelf: boolean }) {
  const trpc = useTRPC();
  const { can } = useCaller();
  const onUpdated = useUserUpdated(user.id);
  const deactivate = useMutation(trpc.users.deactivate.mutationOptions({ onSuccess: onUpdated }));
  const reactivate = useMutation(trpc.users.reactivate.mutationOptions({ onSuccess: onUpdated }));
  const [reason, setReason] = useState('');

  if (user.isActive) {
    if (!can('users:delete')) return null;
    return (
      <Card titleId="status-title" title="Deactivate" danger>
        <p className="muted">
          Signs the user out everywhere and stops them signing in. Nothing is deleted; the account can be reactivated.
          {isSelf && ' You cannot deactivate your own account.'}
        </p>
        <form
          aria-label="Deactivate user"
          onSubmit={(event) => {
            event.preventDefault();
            deactivate.mutate({ id: user.id, ...(reason.trim() ? { reason: reason.trim() } : {}) });
          }}
        >
          <ErrorBanner error={deactivate.error} />
          <TextField
            label="Reason"
            name="reason"
            multiline
            value={reason}
            onChange={setReason}
            hint="Recorded in the audit log (optional)"
          />
          <div className="actions">
            <button type="submit" className="danger" disabled={deactivate.isPending}>
              {deactivate.isPending ? 'Deactivating…' : 'Deactivate user'}
            </button>
          </div>
        </form>
      </Card>
    );
  }

  return (
    <Card titleId="status-title" title="Deactivated">
      <p>Deactivated on {formatTime(user.deactivatedAt)}.</p>
      <ErrorBanner error={reactivate.error} />
      {can('users:update') && (
        <button type="button" className="primary" disabled={reactivate.isPending} onClick={() => reactivate.mutate({ id: user.id })}>
          {reactivate.isPending ? 'Reactivating…' : 'Reactivate user'}
        </button>
      )}
    </Card>
  );
}

/** The API lists sessions only to their owner, so an admin sees the user's sign-ins from the audit trail. */
function SignInsCard({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const signIns = useQuery(trpc.audit.list.queryOptions({ targetId: userId, action: 'auth.login', limit: 10 }));
  return (
    <Card titleId="sign-ins-title" title="Recent sign-ins">
      <ErrorBanner error={signIns.error} />
      {signIns.data && signIns.data.items.length === 0 && <p className="muted">No sign-ins recorded.</p>}
      {signIns.data && signIns.data.items.length > 0 && (
        <ul className="plain-list">
          {signIns.data.items.map((event) => (
            <li key={event.id}>
              <strong>{formatTime(event.at)}</strong> from {event.ip ?? 'an unknown address'}
              {event.userAgent && <span className="muted"> — {event.userAgent}</span>}
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={`/audit?targetId=${userId}`}>Everything that happened to this user</Link>
      </p>
    </Card>
  );
}

function UserSettingsCard({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const { can } = useCaller();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.users.settings.get.queryOptions({ id: userId }));
  const update = useMutation(
    trpc.users.settings.update.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.users.settings.get.queryKey({ id: userId }), data),
    }),
  );
  return (
    <Card titleId="user-settings-title" title="Settings">
      <ErrorBanner error={settings.error} />
      {settings.data && (
        <SettingsEditor
          settings={settings.data.settings}
          version={settings.data.version}
          readOnly={!can('users:update')}
          {...saveStateOf(update, settings)}
          onSave={(changes, expectedVersion) => update.mutate({ id: userId, settings: changes, expectedVersion })}
        />
      )}
    </Card>
  );
}
