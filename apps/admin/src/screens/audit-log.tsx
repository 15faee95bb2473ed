import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { Pager, useCursorPages } from '../components/cursor-pager.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { TextField } from '../components/field.tsx';
import { formatTime, formatValue } from '../format.ts';
import { Link } from '../router.tsx';
import { type AuditEvent, useTRPC } from '../trpc.ts';

const FILTERS = ['action', 'actorId', 'targetId', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

// Suggestions only: the field takes any action name.
const KNOWN_ACTIONS = [
  'auth.register',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.logout_all',
  'auth.password_changed',
  'user.updated',
  'user.profile_updated',
  'user.deactivated',
  'user.reactivated',
  'user.roles_set',
  'preferences.updated',
  'settings.updated',
  'session.revoked',
  'role.created',
  'role.updated',
  'role.deleted',
];

/** Filters can come in the address (`/audit?targetId=…`), so other screens can link to a filtered log. */
const filtersFromAddress = (): Filters => {
  const params = new URLSearchParams(window.location.search);
  return Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Filters;
};

/** `datetime-local` gives local wall time; the API wants an instant. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

function toInput(filters: Filters, cursor: string | undefined) {
  const from = toInstant(filters.from);
  const to = toInstant(filters.to);
  return {
    limit: 25,
    ...(filters.action.trim() ? { action: filters.action.trim() } : {}),
    ...(filters.actorId.trim() ? { actorId: filters.actorId.trim() } : {}),
    ...(filters.targetId.trim() ? { targetId: filters.targetId.trim() } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

export function AuditLogScreen() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Filters>(filtersFromAddress);
  const [applied, setApplied] = useState<Filters>(draft);
  const pages = useCursorPages();
  const events = useQuery({ ...trpc.audit.list.queryOptions(toInput(applied, pages.cursor)), placeholderData: keepPreviousData });
  const errors = fieldErrorsOf(events.error);
  const set = (name: keyof Filters) => (value: string) => setDraft((current) => ({ ...current, [name]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    setApplied(draft);
    const params = new URLSearchParams(Object.entries(draft).filter(([, value]) => value));
    window.history.replaceState(null, '', `${window.location.pathname}${params.size ? `?${params}` : ''}`);
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <search aria-label="Filter audit events">
        <form className="filters" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="audit-action">Action</label>
            <input
              id="audit-action"
              name="action"
              list="audit-actions"
              value={draft.action}
              onChange={(event) => set('action')(event.target.value)}
            />
            <datalist id="audit-actions">
              {KNOWN_ACTIONS.map((action) => (
                <option key={action} value={action} />
              ))}
            </datalist>
            {errors.action && <p className="field-error">{errors.action}</p>}
          </div>
          <TextField label="Actor id" name="actorId" value={draft.actorId} onChange={set('actorId')} error={errors.actorId} />
          <TextField label="Target id" name="targetId" value={draft.targetId} onChange={set('targetId')} error={errors.targetId} />
          <TextField label="From" name="from" type="datetime-local" value={draft.from} onChange={set('from')} error={errors.from} />
          <TextField label="To" name="to" type="datetime-local" value={draft.to} onChange={set('to')} error={errors.to} />
          <div className="actions">
            <button type="submit" className="primary">
              Apply filters
            </button>
          </div>
        </form>
      </search>

      <ErrorBanner error={events.error} />
      {events.isPending && <p aria-live="polite">Loading events…</p>}
      {events.data && (
        <div className="table-wrap" aria-busy={events.isPlaceholderData}>
          <table className="responsive-table">
            <caption className="visually-hidden">Audit events, newest first, page {pages.page}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Changes</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {events.data.items.map((event) => (
                <tr key={event.id}>
                  <td data-label="When">{formatTime(event.at)}</td>
                  <td data-label="Action">
                    <code>{event.action}</code>
                  </td>
                  <td data-label="Actor">{event.actorId ? <UserLink id={event.actorId} /> : 'anonymous'}</td>
                  <td data-label="Target">
                    <Target event={event} />
                  </td>
                  <td data-label="Changes">
                    <Changes changes={event.changes} />
                  </td>
                  <td data-label="From">{event.ip ?? '—'}</td>
                </tr>
              ))}
              {events.data.items.length === 0 && (
                <tr>
                  <td colSpan={6}>No events match these filters.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Audit pages" page={pages.page} nextCursor={events.data?.nextCursor} onNext={pages.next} onPrevious={pages.previous} />
    </section>
  );
}

const UserLink = ({ id }: { id: string }) => (
  <Link to={`/users/${id}`} title={id}>
    {id.slice(0, 8)}
  </Link>
);

function Target({ event }: { event: AuditEvent }) {
  if (!event.targetId) return <>—</>;
  if (event.targetType === 'user') return <UserLink id={event.targetId} />;
  return (
    <span>
      {event.targetType} <code>{event.targetId}</code>
    </span>
  );
}

function Changes({ changes }: { changes: AuditEvent['changes'] }) {
  const entries = Object.entries(changes);
  if (entries.length === 0) return <>—</>;
  return (
    <ul className="changes">
      {entries.map(([field, change]) => (
        <li key={field}>
          <strong>{field}</strong>: {formatValue(change.from)} → {formatValue(change.to)}
        </li>
      ))}
    </ul>
  );
}
