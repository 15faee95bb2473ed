import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fieldErrorsOf, type WebhookEventType, webhookEventTypes } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { Card } from '../components/card.tsx';
import { Checklist } from '../components/checklist.tsx';
import { Pager, useCursorPages } from '../components/cursor-pager.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Checkbox, TextField } from '../components/field.tsx';
import { type Column, ResultsTable } from '../components/results-table.tsx';
import { SaveActions } from '../components/save-actions.tsx';
import { formatTime } from '../format.ts';
import { sameMembers } from '../same-members.ts';
import { useTRPC, type WebhookAttempt, type WebhookEndpoint, type WebhookEventName } from '../trpc.ts';

const EVENT_OPTIONS = webhookEventTypes.map((name) => ({ name }));
const ALL = '*';
const isEventName = (name: string): name is WebhookEventName => name === ALL || (webhookEventTypes as readonly string[]).includes(name);

/** The events an endpoint gets: every one (`*`), or those picked. */
interface EventsPickerProps {
  events: readonly WebhookEventName[];
  onChange(events: WebhookEventName[]): void;
  disabled: boolean;
}

function EventsPicker({ events, onChange, disabled }: EventsPickerProps) {
  const all = events.includes(ALL);
  return (
    <div className="stack">
      <Checkbox
        label="All events, including ones added later"
        checked={all}
        disabled={disabled}
        onChange={(on) => onChange(on ? [ALL] : [])}
      />
      {!all && (
        <Checklist
          legend="Events"
          options={EVENT_OPTIONS}
          selected={events.filter((event): event is WebhookEventType => event !== ALL)}
          onChange={onChange}
          disabled={disabled}
          inputName="events"
        />
      )}
    </div>
  );
}

/** The secret, once: it is never shown again. */
function SecretNotice({ secret, onDismiss }: { secret: string; onDismiss(): void }) {
  return (
    <div className="notice" role="status">
      <p>
        Signing secret — copy it now, it is not shown again: <code data-testid="webhook-secret">{secret}</code>
      </p>
      <button type="button" onClick={onDismiss}>
        I have saved it
      </button>
    </div>
  );
}

export function WebhooksScreen() {
  const trpc = useTRPC();
  const endpoints = useQuery(trpc.webhooks.list.queryOptions());
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <section aria-labelledby="webhooks-title" className="stack">
      <h1 id="webhooks-title">Webhooks</h1>
      <ErrorBanner error={endpoints.error} />
      {secret && <SecretNotice secret={secret} onDismiss={() => setSecret(null)} />}
      <CreateEndpointCard onSecret={setSecret} />
      {endpoints.data?.items.map((endpoint) => (
        <EndpointCard key={endpoint.id} endpoint={endpoint} onSecret={setSecret} />
      ))}
    </section>
  );
}

function useEndpointsChanged() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() });
}

function CreateEndpointCard({ onSecret }: { onSecret(secret: string): void }) {
  const trpc = useTRPC();
  const changed = useEndpointsChanged();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventName[]>([ALL]);
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: (created) => {
        onSecret(created.secret);
        changed();
        setUrl('');
        setDescription('');
        setEvents([ALL]);
      },
    }),
  );
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ url, events, ...(description.trim() ? { description } : {}) });
  };
  return (
    <Card titleId="new-webhook-title" title="New endpoint">
      <form onSubmit={submit} aria-label="New endpoint" noValidate>
        <ErrorBanner error={create.error} />
        <div className="grid">
          <TextField label="URL" name="url" value={url} onChange={setUrl} error={errors.url} hint="https://, a public address" />
          <TextField label="Description" name="description" value={description} onChange={setDescription} error={errors.description} />
        </div>
        <EventsPicker events={events} onChange={setEvents} disabled={false} />
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending || url.trim() === '' || events.length === 0}>
            {create.isPending ? 'Adding…' : 'Add endpoint'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function EndpointCard({ endpoint, onSecret }: { endpoint: WebhookEndpoint; onSecret(secret: string): void }) {
  const trpc = useTRPC();
  const changed = useEndpointsChanged();
  const [url, setUrl] = useState(endpoint.url);
  const [events, setEvents] = useState<WebhookEventName[]>(endpoint.events.filter(isEventName));
  const [enabled, setEnabled] = useState(endpoint.enabled);
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSuccess: changed }));
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess: changed }));
  const rotate = useMutation(trpc.webhooks.rotateSecret.mutationOptions({ onSuccess: (rotated) => onSecret(rotated.secret) }));
  const test = useMutation(trpc.webhooks.test.mutationOptions({ onSuccess: changed }));
  const errors = fieldErrorsOf(update.error);
  const dirty = url !== endpoint.url || enabled !== endpoint.enabled || !sameMembers(events, endpoint.events);
  const titleId = `webhook-${endpoint.id}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: endpoint.id, url, enabled, events });
  };
  const status = !endpoint.enabled ? 'disabled' : endpoint.failingSince ? `failing since ${formatTime(endpoint.failingSince)}` : 'active';
  return (
    <Card titleId={titleId} title={endpoint.description || endpoint.url} badge={<span className="badge">{status}</span>}>
      <form onSubmit={submit} aria-label={`Endpoint ${endpoint.url}`} noValidate>
        <ErrorBanner error={update.error ?? remove.error ?? rotate.error ?? test.error} />
        <TextField label="URL" name="url" value={url} onChange={setUrl} error={errors.url} />
        <Checkbox label="Enabled" checked={enabled} onChange={setEnabled} disabled={false} />
        <EventsPicker events={events} onChange={setEvents} disabled={false} />
        <SaveActions label="Save endpoint" dirty={dirty} saving={update.isPending} saved={update.isSuccess}>
          <button type="button" disabled={test.isPending || !endpoint.enabled} onClick={() => test.mutate({ id: endpoint.id })}>
            {test.isSuccess ? 'Test event sent' : 'Send test event'}
          </button>
          <button
            type="button"
            disabled={rotate.isPending}
            onClick={() => {
              if (window.confirm('Rotate the signing secret? The old one keeps signing for 24 hours.')) rotate.mutate({ id: endpoint.id });
            }}
          >
            Rotate secret
          </button>
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Delete the endpoint ${endpoint.url}? Deliveries still waiting are dropped.`))
                remove.mutate({ id: endpoint.id });
            }}
          >
            Delete endpoint
          </button>
        </SaveActions>
      </form>
      <DeliveryLog endpointId={endpoint.id} />
    </Card>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const changed = useEndpointsChanged();
  const pages = useCursorPages();
  const deliveries = useQuery({
    ...trpc.webhooks.deliveries.queryOptions({ id: endpointId, limit: 10, ...(pages.cursor ? { cursor: pages.cursor } : {}) }),
    placeholderData: (previous) => previous,
    refetchInterval: 5000,
  });
  const redeliver = useMutation(trpc.webhooks.redeliver.mutationOptions({ onSuccess: changed }));
  const columns: Column<WebhookAttempt>[] = [
    { label: 'When', cell: (attempt) => formatTime(attempt.at) },
    { label: 'Event', cell: (attempt) => attempt.type },
    { label: 'Attempt', cell: (attempt) => attempt.attempt },
    {
      label: 'Result',
      cell: (attempt) =>
        `${attempt.status}${attempt.responseStatus ? ` (${attempt.responseStatus})` : ''}${attempt.error ? `: ${attempt.error}` : ''}`,
    },
    { label: 'Duration', cell: (attempt) => `${attempt.durationMs} ms` },
    {
      label: 'Action',
      cell: (attempt) => (
        <button type="button" disabled={redeliver.isPending} onClick={() => redeliver.mutate({ attemptId: attempt.id })}>
          Redeliver
        </button>
      ),
    },
  ];
  return (
    <div className="stack">
      <h3>Deliveries</h3>
      <ErrorBanner error={deliveries.error ?? redeliver.error} />
      <ResultsTable
        caption={`Delivery attempts, page ${pages.page}`}
        columns={columns}
        rows={deliveries.data?.items ?? []}
        empty="No deliveries yet"
        busy={deliveries.isPlaceholderData}
      />
      <Pager
        page={pages.page}
        nextCursor={deliveries.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
        label="Deliveries pages"
      />
    </div>
  );
}
