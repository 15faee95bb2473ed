import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fieldErrorsOf, type TPasskey } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { formatTime } from '../format.ts';
import { addPasskey } from '../passkey-ceremony.ts';
import { useSession } from '../session.tsx';
import { useTRPC } from '../trpc.ts';
import { Card } from './card.tsx';
import { useRecentCall } from './confirm-identity.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';

/** My account → Security → Passkeys: add one (the browser makes it), rename, remove. */
export function PasskeysCard() {
  const trpc = useTRPC();
  const { client } = useSession();
  const queryClient = useQueryClient();
  // "Confirm it's you" asks for a code while the authenticator app is on, otherwise the password (as the server does).
  const totpOn = useQuery(trpc.me.mfa.get.queryOptions()).data?.totp.enabled ?? false;
  const recent = useRecentCall(totpOn);
  const list = useQuery(trpc.me.passkeys.list.queryOptions());
  const [name, setName] = useState('');
  const changed = () => {
    for (const key of [trpc.me.passkeys.list.pathKey(), trpc.me.mfa.get.pathKey(), trpc.me.get.pathKey()]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  };
  const add = useMutation({
    mutationFn: (value: string) => recent(() => addPasskey(client, value)),
    onSuccess: () => {
      setName('');
      changed();
    },
  });
  const errors = fieldErrorsOf(add.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(name);
  };
  return (
    <Card titleId="passkeys-title" title="Passkeys">
      <ErrorBanner error={list.error} />
      {list.data && list.data.items.length === 0 && <p className="muted">No passkeys yet. A passkey signs you in without a password.</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="stack" aria-label="Your passkeys">
          {list.data.items.map((passkey) => (
            <PasskeyRow key={passkey.id} passkey={passkey} totpOn={totpOn} onChanged={changed} />
          ))}
        </ul>
      )}
      <form onSubmit={submit} aria-label="Add a passkey" noValidate>
        <ErrorBanner error={errors.name ? null : add.error} />
        <TextField label="Passkey name" name="passkeyName" required value={name} onChange={setName} error={errors.name} />
        <button type="submit" disabled={add.isPending || name.trim() === ''}>
          {add.isPending ? 'Waiting for the browser…' : 'Add a passkey'}
        </button>
      </form>
    </Card>
  );
}

function PasskeyRow({ passkey, totpOn, onChanged }: { passkey: TPasskey; totpOn: boolean; onChanged(): void }) {
  const { client } = useSession();
  const recent = useRecentCall(totpOn);
  const [name, setName] = useState(passkey.name);
  const [editing, setEditing] = useState(false);
  const rename = useMutation({
    mutationFn: () => client.me.passkeys.rename.mutate({ id: passkey.id, name }),
    onSuccess: () => {
      setEditing(false);
      onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: () => recent(() => client.me.passkeys.delete.mutate({ id: passkey.id })),
    onSuccess: onChanged,
  });
  return (
    <li data-testid="passkey">
      <ErrorBanner error={rename.error ?? remove.error} />
      {editing ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            rename.mutate();
          }}
        >
          <TextField label="New name" name="rename" required value={name} onChange={setName} error={fieldErrorsOf(rename.error).name} />
          <button type="submit" disabled={rename.isPending}>
            Save
          </button>
        </form>
      ) : (
        <p>
          <strong>{passkey.name}</strong> · added {formatTime(passkey.createdAt)} · last used {formatTime(passkey.lastUsedAt)}
          {passkey.backedUp && ' · synced'}
        </p>
      )}
      <p>
        {!editing && (
          <button type="button" className="link-button" onClick={() => setEditing(true)}>
            Rename
          </button>
        )}{' '}
        <button type="button" className="link-button" disabled={remove.isPending} onClick={() => remove.mutate()}>
          Remove {passkey.name}
        </button>
      </p>
    </li>
  );
}
