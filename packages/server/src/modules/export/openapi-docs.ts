import type { TUserExport } from '@ums/contract';
import {
  exampleOtherUserId,
  examplePreferences,
  exampleSessionId,
  exampleSettingsList,
  exampleUser,
  exampleUserId,
} from '../../openapi/examples.ts';
import type { OperationDocs } from '../../openapi/operation-doc.ts';
import { userNotFound } from '../users/user-errors.ts';
import { exportTooLargeForTrpc } from './export-errors.ts';

const exampleExport: TUserExport = {
  exportedAt: '2026-02-11T16:30:00.000Z',
  user: exampleUser,
  preferences: examplePreferences,
  settings: exampleSettingsList.settings,
  roles: [
    {
      name: 'user',
      description: 'Every account: its own data',
      permissions: ['user:read', 'user:update'],
      builtIn: true,
      requireMfa: false,
    },
  ],
  sessions: [
    {
      id: exampleSessionId,
      createdAt: '2026-02-11T16:00:01.000Z',
      lastUsedAt: '2026-02-11T16:20:40.000Z',
      authenticatedAt: '2026-02-11T16:00:01.000Z',
      methods: ['password'],
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      current: true,
    },
  ],
  passkeys: [
    {
      id: '3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a09f',
      name: 'Laptop',
      createdAt: '2026-01-20T10:00:00.000Z',
      lastUsedAt: null,
      backedUp: true,
      transports: ['internal', 'hybrid'],
    },
  ],
  auditEvents: [
    {
      id: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
      at: '2026-02-11T16:30:00.000Z',
      actorId: exampleUserId,
      action: 'user.exported',
      targetType: 'user',
      targetId: exampleUserId,
      changes: {},
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      requestId: '2f1e0d9c-8b7a-4c5d-9e6f-a1b2c3d4e5f6',
    },
  ],
};

const streamed =
  ' Over REST the body is streamed as it is read (the audit events a page at a time, so a long history is never held ' +
  'in memory) and comes with `Content-Disposition: attachment`; a failure after the first byte cuts the body short ' +
  '(invalid JSON), never a partial document that parses. Over tRPC it is one JSON value, gathered in memory, and a trail ' +
  'of more than 8 MiB is refused (409 `EXPORT_TOO_LARGE`): use REST for long histories.';

/** The REST document's words on the export procedures (see openapi/operation-doc.ts). */
export const exportDocs = {
  'me.export': {
    description:
      'Everything the service keeps about the caller as one JSON document: profile, preferences, every setting, roles, live ' +
      'sessions, passkeys (no key material) and every audit event they made or that concerns them, newest first. No ' +
      'secret of any kind (password, hashes, tokens, TOTP secret, recovery codes). Records `user.exported` before the ' +
      'first byte is sent.' +
      streamed,
    throws: [exportTooLargeForTrpc],
    example: { response: exampleExport },
  },
  'users.export': {
    description:
      'The same document as `GET /users/me/export`, for any user (deactivated or erased ones too). Needs both ' +
      '`users:read` and `audit:read`. Records `user.exported` (actor: the caller, target: the user) before the first ' +
      'byte is sent; an unknown id is a 404 and records nothing.' +
      streamed,
    throws: [userNotFound, exportTooLargeForTrpc],
    example: {
      request: { id: exampleOtherUserId },
      response: { ...exampleExport, user: { ...exampleUser, id: exampleOtherUserId }, sessions: [] },
    },
  },
} satisfies OperationDocs<'me.export' | 'users.export'>;
