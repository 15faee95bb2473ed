import type { OperationDocs, ProcedurePath } from '../../openapi/operation-doc.ts';

const days = Array.from({ length: 30 }, (_, index) => {
  const date = new Date(Date.UTC(2026, 1, 11 - 29 + index)).toISOString().slice(0, 10);
  return { date, signUps: 12 + (index % 5), signIns: 340 + index * 3, failedSignIns: 9 + (index % 7) };
});

/** The REST document's words on the `stats` procedures (see openapi/operation-doc.ts). */
export const statsDocs = {
  'stats.overview': {
    description:
      'How the user base is doing: account totals (`total` = `active` + `deactivated`; erased accounts count as ' +
      'deactivated), how many proved their address (`verified`) and turned on a second factor (`mfa`), and per UTC day ' +
      'for the last 30 days, oldest first and today last, every day present: sign-ups (`auth.register`), completed ' +
      'sign-ins (`auth.login`, whatever the factors) and refused ones (`auth.login_failed`). Read from counters kept ' +
      'in the same transactions as the changes they count, so it costs the same at a million users. Needs `users:read`.',
    throws: [],
    example: { response: { users: { total: 1204, active: 1180, deactivated: 24, verified: 1002, mfa: 388 }, daily: days } },
  },
} satisfies OperationDocs<Extract<ProcedurePath, `stats.${string}`>>;
