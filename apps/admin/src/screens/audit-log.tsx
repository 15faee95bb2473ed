import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { Pager, useCursorPages } from '../components/cursor-pager.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { TextField } from '../components/field.tsx';
import { fieldSetter } from '../components/field-setter.ts';
import { PersonLink } from '../components/person-link.tsx';
import { type Person, PersonPicker } from '../components/person-picker.tsx';
import { type Column, ResultsTable } from '../components/results-table.tsx';
import { formatTime, formatValue } from '../format.ts';
import { useCaller } from '../permissions.tsx';
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
  const set = fieldSetter(setDraft);
  const { can } = useCaller();
  // Who the picked ids are: from the pick itself, or from a page that names them (a filter that came in the address).
  const [picked, setPicked] = useState<Record<string, Person>>({});
  const known = (id: string): Person | undefined =>
    picked[id] ?? events.data?.items.flatMap((event) => [event.actor, event.target]).find((person): person is Person => person?.id === id);
  const pick = (field: 'actorId' | 'targetId') => (id: string, person: Person | undefined) => {
    if (person) setPicked((people) => ({ ...people, [id]: person }));
    set(field)(id);
  };

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
          {can('users:read') ? (
            <>
              <PersonPicker
                label="Actor"
                value={draft.actorId}
                person={known(draft.actorId)}
                onChange={pick('actorId')}
                error={errors.actorId}
              />
              <PersonPicker
                label="Target"
                value={draft.targetId}
                person={known(draft.targetId)}
                onChange={pick('targetId')}
                error={errors.targetId}
              />
            </>
          ) : (
            // Finding people needs users:read; without it the ids are typed in.
            <>
              <TextField label="Actor id" name="actorId" value={draft.actorId} onChange={set('actorId')} error={errors.actorId} />
              <TextField label="Target id" name="targetId" value={draft.targetId} onChange={set('targetId')} error={errors.targetId} />
            </>
          )}
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
        <ResultsTable
          caption={`Audit events, newest first, page ${pages.page}`}
          columns={COLUMNS}
          rows={events.data.items}
          empty="No events match these filters."
          busy={events.isPlaceholderData}
        />
      )}
      <Pager label="Audit pages" page={pages.page} nextCursor={events.data?.nextCursor} onNext={pages.next} onPrevious={pages.previous} />
    </section>
  );
}

const COLUMNS: readonly Column<AuditEvent>[] = [
  { label: 'When', cell: (event) => formatTime(event.at) },
  { label: 'Action', cell: (event) => <code>{event.action}</code> },
  { label: 'Actor', cell: (event) => (event.actorId ? <PersonLink id={event.actorId} person={event.actor} /> : 'anonymous') },
  { label: 'Target', cell: (event) => <Target event={event} /> },
  { label: 'Changes', cell: (event) => <Changes changes={event.changes} /> },
  { label: 'From', cell: (event) => event.ip ?? '—' },
];

function Target({ event }: { event: AuditEvent }) {
  if (!event.targetId) return <>—</>;
  if (event.targetType === 'user') return <PersonLink id={event.targetId} person={event.target} />;
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
