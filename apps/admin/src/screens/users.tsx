import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useBulkUsers } from '../components/bulk-users.tsx';
import { Pager, useCursorPages } from '../components/cursor-pager.tsx';
import { EmailVerifiedBadge } from '../components/email-verified-badge.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { SelectField, TextField } from '../components/field.tsx';
import { type Column, ResultsTable } from '../components/results-table.tsx';
import { UserStatusBadge } from '../components/user-status-badge.tsx';
import { formatTime } from '../format.ts';
import { useCaller } from '../permissions.tsx';
import { Link } from '../router.tsx';
import { type User, type UserListInput, useTRPC } from '../trpc.ts';

const STATUS_OPTIONS = [
  { value: 'all', label: 'Active and deactivated' },
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Deactivated' },
];

const COLUMNS: readonly Column<User>[] = [
  { label: 'Name', cell: (user) => <Link to={`/users/${user.id}`}>{user.fullName ?? '(no name)'}</Link> },
  { label: 'Email', cell: (user) => user.email },
  { label: 'Email verified', cell: (user) => <EmailVerifiedBadge verifiedAt={user.emailVerifiedAt} /> },
  { label: 'Roles', cell: (user) => user.roles.join(', ') || '—' },
  { label: 'Status', cell: (user) => <UserStatusBadge isActive={user.isActive} /> },
  { label: 'Last sign-in', cell: (user) => formatTime(user.lastLoginAt) },
  { label: 'Created', cell: (user) => formatTime(user.createdAt) },
];

/** `value`, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function UsersScreen() {
  const trpc = useTRPC();
  const { can } = useCaller();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState('');
  const [status, setStatus] = useState('all');
  const pages = useCursorPages();
  const settledSearch = useDebounced(search.trim(), 300);

  // New filters start again from the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on a change of any filter
  useEffect(() => pages.reset(), [settledSearch, role, status]);

  const input: UserListInput = {
    limit: 20,
    includeTotal: true,
    ...(settledSearch ? { search: settledSearch } : {}),
    ...(role ? { role } : {}),
    ...(status === 'all' ? {} : { isActive: status === 'active' }),
    ...(pages.cursor ? { cursor: pages.cursor } : {}),
  };
  const users = useQuery({ ...trpc.users.list.queryOptions(input), placeholderData: keepPreviousData });
  const roles = useQuery({ ...trpc.rbac.roles.list.queryOptions(), enabled: can('roles:read') });
  const bulk = useBulkUsers(users.data?.items ?? []);
  const roleOptions = [
    { value: '', label: 'Any role' },
    ...(roles.data?.items ?? []).map((item) => ({ value: item.name, label: item.name })),
  ];

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <search aria-label="Filter users">
        <form className="filters" onSubmit={(event) => event.preventDefault()}>
          <TextField label="Search" name="search" type="search" placeholder="Name or email" value={search} onChange={setSearch} />
          {can('roles:read') ? (
            <SelectField label="Role" name="role" value={role} onChange={setRole} options={roleOptions} />
          ) : (
            <TextField label="Role" name="role" value={role} onChange={setRole} />
          )}
          <SelectField label="Status" name="status" value={status} onChange={setStatus} options={STATUS_OPTIONS} />
        </form>
      </search>

      <ErrorBanner error={users.error} />
      <p className="muted" aria-live="polite">
        {users.isPending
          ? 'Loading users…'
          : users.data?.total !== undefined
            ? `${users.data.total} user${users.data.total === 1 ? '' : 's'}`
            : ''}
      </p>

      {bulk.bar}
      {users.data && (
        <ResultsTable
          caption={`Users, page ${pages.page}`}
          columns={bulk.columns(COLUMNS)}
          rows={users.data.items}
          empty="No users match these filters."
          busy={users.isPlaceholderData}
        />
      )}
      <Pager label="Users pages" page={pages.page} nextCursor={users.data?.nextCursor} onNext={pages.next} onPrevious={pages.previous} />
    </section>
  );
}
