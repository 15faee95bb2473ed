// The words at the top of the REST document (and of /docs): what every operation shares, said once.

export const API_TITLE = 'User management service';

export const API_OVERVIEW = `Accounts, sign-in, roles and permissions, profiles, preferences, settings and the audit trail, over JSON.
The same operations are served to TypeScript clients over tRPC at \`/trpc\`; this document describes the REST side.

## Authentication
1. \`POST /auth/login\` (or \`POST /auth/register\`) answers an \`accessToken\` and a \`refreshToken\`.
2. Send the access token on every call: \`Authorization: Bearer <accessToken>\`. It lives \`expiresIn\` seconds (15 minutes by default).
3. Before or when it expires, \`POST /auth/refresh\` with the refresh token gives a new pair; the old refresh token stops working.
   Presenting a used refresh token again ends its whole session, so keep only the newest.
4. \`POST /auth/logout\` ends the session; sessions also end on a password change or reset, or when an admin deactivates the account.

Operations marked with a lock need the token; the others (\`security: []\`) are public. The \`auth\` operations are rate limited
per client address: past the limit they answer **429** with \`Retry-After\` (seconds to wait).

## 401 or 403
- **401 UNAUTHORIZED**: no valid token: missing, malformed, expired, or its session has ended. Refresh or sign in again.
- **403 FORBIDDEN**: the token is fine, but the caller lacks the permission the operation names (or a rule forbids the action).
  Signing in again does not help. \`GET /users/me\` lists the caller's permissions.

## Errors
Every error has one JSON shape, \`ApiError\`: a \`code\` (the names below), a human \`message\`, and where it applies \`issues\`
(one \`{ path, message }\` per invalid field, \`path\` locating it in the input), \`reason\` (a machine-readable why, such as
\`INVALID_TOKEN\`) and \`data\` (e.g. \`currentVersion\` on a version conflict). Each operation lists exactly the statuses it can
answer. **503** means the database is unavailable: retry shortly. An unknown field in a body is a 400 naming that field.

## Optimistic concurrency: \`expectedVersion\` and 409
Users and settings carry a \`version\` that every change increments. Send the version you read as \`expectedVersion\` and the
change applies only if nobody changed the resource meanwhile; otherwise **409 CONFLICT** with \`data.currentVersion\`: reload,
reapply, retry. Without \`expectedVersion\` the last write wins.

## Paging with cursors
List operations answer \`{ items, nextCursor }\`. Pass \`nextCursor\` back as \`cursor\` (with the same filters and sort) for the
next page; \`null\` means there is none. Cursors are opaque: do not build or change them. \`limit\` is 1–100.
`;

/** Tag order and words: /docs groups the operations by these. */
export const API_TAGS = [
  { name: 'auth', description: 'Sign up, sign in, tokens, passwords, and the links mailed to prove an address or reset a password.' },
  { name: 'me', description: "The caller's own account: profile, email change, sessions, settings and preferences." },
  {
    name: 'users',
    description: 'Other accounts, for callers with the `users:*` and `roles:assign` permissions: find, change, deactivate.',
  },
  { name: 'rbac', description: 'Roles and the permissions they grant (`roles:read`, `roles:manage`).' },
  { name: 'webhooks', description: 'Signed event deliveries to other systems (Standard Webhooks; `webhooks:manage`).' },
  { name: 'settings', description: 'The catalog of every setting: type, default and the rules a value must meet.' },
  { name: 'audit', description: 'The append-only trail of every state change (`audit:read`).' },
  { name: 'stats', description: 'Figures for the dashboard: user totals and daily sign-ins (`users:read`).' },
];
