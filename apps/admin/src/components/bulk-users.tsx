import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { bulkActionPermissions, roleBulkActions, type TBulkAction } from '@ums/shared';
import { type ReactNode, useState } from 'react';
import { useCaller } from '../permissions.tsx';
import { type BulkItemResult, type User, useTRPC } from '../trpc.ts';
import { ErrorBanner } from './error-banner.tsx';
import { Checkbox, SelectField, TextField } from './field.tsx';
import type { Column } from './results-table.tsx';

const ACTION_LABELS: Record<TBulkAction, string> = {
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  revokeSessions: 'Sign out everywhere',
  assignRole: 'Assign role',
  removeRole: 'Remove role',
};

interface BulkUsers {
  /** The list's columns with a selection checkbox first and, once a bulk action ran, its result per row last. */
  columns(base: readonly Column<User>[]): Column<User>[];
  /** The selection's toolbar: select the page, pick an action, apply it. Null without any bulk permission. */
  bar: ReactNode;
}

/** Selecting users on the page and acting on them at once (users.bulk), with the answer shown on each row. */
export function useBulkUsers(rows: readonly User[]): BulkUsers {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useCaller();
  const actions = (Object.keys(bulkActionPermissions) as TBulkAction[]).filter((action) => can(bulkActionPermissions[action]));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [action, setAction] = useState<TBulkAction | ''>('');
  const [role, setRole] = useState('');
  const [reason, setReason] = useState('');
  const [results, setResults] = useState<ReadonlyMap<string, BulkItemResult>>(new Map());
  const roles = useQuery({ ...trpc.rbac.roles.list.queryOptions(), enabled: can('roles:read') && actions.length > 0 });
  const run = useMutation(
    trpc.users.bulk.mutationOptions({
      onSuccess: ({ results: answered }) => {
        setResults(new Map(answered.map((result) => [result.id, result])));
        setSelected(new Set());
        void queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allOnPage = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const needsRole = action !== '' && roleBulkActions.includes(action);

  const columns = (base: readonly Column<User>[]): Column<User>[] => {
    if (actions.length === 0) return [...base];
    const select: Column<User> = {
      label: 'Select',
      cell: (user) => (
        <input
          type="checkbox"
          aria-label={`Select ${user.fullName ?? user.email}`}
          checked={selected.has(user.id)}
          onChange={(event) => toggle(user.id, event.target.checked)}
        />
      ),
    };
    const result: Column<User> = { label: 'Result', cell: (user) => <ResultCell result={results.get(user.id)} /> };
    return results.size > 0 ? [select, ...base, result] : [select, ...base];
  };

  if (actions.length === 0) return { columns, bar: null };
  const apply = () => {
    if (action === '' || selected.size === 0) return;
    const count = `${selected.size} user${selected.size === 1 ? '' : 's'}`;
    if (!window.confirm(`${ACTION_LABELS[action]}: ${count}?`)) return;
    run.mutate({
      action,
      ids: [...selected],
      ...(needsRole ? { role } : {}),
      ...(action === 'deactivate' && reason.trim() ? { reason: reason.trim() } : {}),
    });
  };
  const refused = [...results.values()].filter((result) => !result.ok).length;

  const bar = (
    <form
      className="bulk-bar filters"
      aria-label="Bulk actions"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <Checkbox
        label="Select all on this page"
        checked={allOnPage}
        onChange={(on) => setSelected(on ? new Set([...selected, ...rows.map((row) => row.id)]) : new Set())}
      />
      <span aria-live="polite">{selected.size} selected</span>
      <SelectField
        label="Action"
        name="bulk-action"
        value={action}
        onChange={(value) => setAction(value as TBulkAction | '')}
        options={[{ value: '', label: 'Choose…' }, ...actions.map((value) => ({ value, label: ACTION_LABELS[value] }))]}
      />
      {needsRole &&
        (can('roles:read') ? (
          <SelectField
            label="Role"
            name="bulk-role"
            value={role}
            onChange={setRole}
            options={[{ value: '', label: 'Choose…' }, ...(roles.data?.items ?? []).map((item) => item.name)]}
          />
        ) : (
          <TextField label="Role" name="bulk-role" value={role} onChange={setRole} />
        ))}
      {action === 'deactivate' && <TextField label="Reason" name="bulk-reason" value={reason} onChange={setReason} />}
      <div className="actions">
        <button type="submit" disabled={run.isPending || action === '' || selected.size === 0 || (needsRole && role === '')}>
          {run.isPending ? 'Applying…' : `Apply to ${selected.size}`}
        </button>
      </div>
      <ErrorBanner error={run.error} />
      {results.size > 0 && (
        <p role="status">
          {results.size - refused} done, {refused} refused — see the Result column.
        </p>
      )}
    </form>
  );
  return { columns, bar };
}

function ResultCell({ result }: { result: BulkItemResult | undefined }) {
  if (!result) return null;
  if (result.ok) return <span className="badge badge--ok">Done</span>;
  return (
    <span className="bulk-refused">
      <span className="badge badge--warn">Refused</span> {result.message ?? result.code}
    </span>
  );
}
