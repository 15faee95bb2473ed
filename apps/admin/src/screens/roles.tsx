import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fieldErrorsOf, type Permission } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { Card } from '../components/card.tsx';
import { Checklist } from '../components/checklist.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Checkbox, TextField } from '../components/field.tsx';
import { SaveActions } from '../components/save-actions.tsx';
import { useCaller } from '../permissions.tsx';
import { sameMembers } from '../same-members.ts';
import { type PermissionInfo, type Role, useTRPC } from '../trpc.ts';

interface PermissionsPickerProps {
  permissions: readonly PermissionInfo[];
  selected: readonly Permission[];
  onChange(selected: Permission[]): void;
  disabled: boolean;
}

/** A role's permissions, picked from all there are: the same list when a role is made and when it is edited. */
const PermissionsPicker = ({ permissions, ...choice }: PermissionsPickerProps) => (
  <Checklist legend="Permissions" className="permissions" options={permissions} {...choice} />
);

const RequireMfaCheckbox = (props: { checked: boolean; onChange(checked: boolean): void; disabled: boolean }) => (
  <Checkbox
    label="Require two-factor authentication"
    name="requireMfa"
    hint="holders without a second factor may only set one up"
    {...props}
  />
);

export function RolesScreen() {
  const trpc = useTRPC();
  const { can } = useCaller();
  const roles = useQuery(trpc.rbac.roles.list.queryOptions());
  const permissions = useQuery(trpc.rbac.permissions.list.queryOptions());
  const manage = can('roles:manage');

  return (
    <section aria-labelledby="roles-title" className="stack">
      <h1 id="roles-title">Roles and permissions</h1>
      <ErrorBanner error={roles.error ?? permissions.error} />
      {manage && permissions.data && <CreateRoleCard permissions={permissions.data.items} />}
      {roles.data &&
        permissions.data &&
        roles.data.items.map((role) => <RoleCard key={role.name} role={role} permissions={permissions.data.items} editable={manage} />)}
    </section>
  );
}

function useRolesChanged() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.rbac.roles.list.pathKey() });
    // Permissions of the caller may have changed with their role.
    void queryClient.invalidateQueries({ queryKey: trpc.me.get.pathKey() });
  };
}

function CreateRoleCard({ permissions }: { permissions: readonly PermissionInfo[] }) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [selected, setSelected] = useState<Permission[]>([]);
  const [requireMfa, setRequireMfa] = useState(false);
  const changed = useRolesChanged();
  const create = useMutation(
    trpc.rbac.roles.create.mutationOptions({
      onSuccess: () => {
        changed();
        setName('');
        setDescription('');
        setSelected([]);
        setRequireMfa(false);
      },
    }),
  );
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, permissions: selected, requireMfa, ...(description.trim() ? { description } : {}) });
  };
  return (
    <Card titleId="new-role-title" title="New role">
      <form onSubmit={submit} aria-label="New role" noValidate>
        <ErrorBanner error={create.error} />
        <div className="grid">
          <TextField
            label="Name"
            name="name"
            value={name}
            onChange={setName}
            error={errors.name}
            hint="lower-case letters, digits, - or _"
          />
          <TextField label="Description" name="description" value={description} onChange={setDescription} error={errors.description} />
        </div>
        <PermissionsPicker permissions={permissions} selected={selected} onChange={setSelected} disabled={false} />
        <RequireMfaCheckbox checked={requireMfa} onChange={setRequireMfa} disabled={false} />
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending || name.trim() === ''}>
            {create.isPending ? 'Creating…' : 'Create role'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function RoleCard({ role, permissions, editable }: { role: Role; permissions: readonly PermissionInfo[]; editable: boolean }) {
  const trpc = useTRPC();
  const changed = useRolesChanged();
  const [description, setDescription] = useState(role.description);
  const [selected, setSelected] = useState<Permission[]>(role.permissions);
  const [requireMfa, setRequireMfa] = useState(role.requireMfa);
  const update = useMutation(trpc.rbac.roles.update.mutationOptions({ onSuccess: changed }));
  const remove = useMutation(trpc.rbac.roles.delete.mutationOptions({ onSuccess: changed }));
  const errors = fieldErrorsOf(update.error);
  const dirty = description !== role.description || !sameMembers(selected, role.permissions) || requireMfa !== role.requireMfa;
  const titleId = `role-${role.name}`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name: role.name, description, permissions: selected, requireMfa });
  };

  return (
    <Card titleId={titleId} title={role.name} badge={role.builtIn && <span className="badge">built-in</span>}>
      <form onSubmit={submit} aria-label={`Role ${role.name}`} noValidate>
        <ErrorBanner error={update.error ?? remove.error} />
        <TextField
          label="Description"
          name="description"
          value={description}
          onChange={setDescription}
          error={errors.description}
          readOnly={!editable}
        />
        <PermissionsPicker permissions={permissions} selected={selected} onChange={setSelected} disabled={!editable} />
        <RequireMfaCheckbox checked={requireMfa} onChange={setRequireMfa} disabled={!editable} />
        {editable && (
          <SaveActions label="Save role" dirty={dirty} saving={update.isPending} saved={update.isSuccess}>
            {!role.builtIn && (
              <button
                type="button"
                className="danger"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Delete the role ${role.name}? Users lose its permissions at once.`))
                    remove.mutate({ name: role.name });
                }}
              >
                Delete role
              </button>
            )}
          </SaveActions>
        )}
      </form>
    </Card>
  );
}
