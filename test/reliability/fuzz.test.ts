import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { settingsCatalog } from '@ums/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createSignedInUser, type SignedIn, TEST_PASSWORD } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';
import { type ChangeDetector, createChangeDetector } from './support/fingerprint.ts';
import { deepMarker, HOSTILE_KEYS, HOSTILE_VALUES, hostileValue, RAW_BODIES, RAW_QUERIES, withOwnKey } from './support/hostile.ts';
import { buildRequest, type Payload, RequestTimeout, send, type Transport, type WireRequest } from './support/http.ts';
import { type RouterProcedure, routerProcedures, topLevelProperties } from './support/procedures.ts';
import { type Hints, schemaArbitrary } from './support/schema-arbitrary.ts';

// Every procedure of the router, over tRPC and REST, with a signed-in admin (every permission) so that input
// validation and the services behind it are really reached. Three sources of input per procedure and transport:
// a systematic sweep of hostile values (whole input, then each field), raw bodies and query strings that are not
// JSON of the right shape, and property-based inputs derived from the procedure's zod schema. For each request:
// an answer within the timeout, never a 5xx, and — when refused — the database exactly as it was.

const REQUEST_TIMEOUT_MS = 10_000;
/** Property-based inputs per procedure and transport (FUZZ_RUNS to try more). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const TRANSPORTS: readonly Transport[] = ['trpc', 'rest'];
const CALLER_ID = '$CALLER_ID';
const CALLER_SESSION = '$CALLER_SESSION';

/** The writes API.md asks for even when it refuses the call; nothing else may change on a refusal. */
const ALLOWED_ON_REFUSAL: Record<string, readonly string[]> = {
  // Brute-force protection: a failed sign-in counts towards the lockout and is audited (and counted for stats.overview).
  'auth.login': ['users:login-bookkeeping', 'audit_events:auth.login_failed', 'daily_sign_in_counters'],
  // Refresh token reuse: the whole session is revoked, and that is audited, before the 401.
  'auth.refresh': ['sessions', 'audit_events:auth.refresh_reuse'],
  // A wrong second-step code counts against its mfaToken and as a failed sign-in, and is audited (API.md, MFA).
  'auth.mfa.verify': [
    'mfa_challenges',
    'passkey_challenges',
    'users:login-bookkeeping',
    'audit_events:auth.mfa_failed',
    'audit_events:auth.login_failed',
    'audit_events:passkey.counter_regression',
    'daily_sign_in_counters',
  ],
  // A wrong code on a step-up is audited.
  'auth.reauthenticate': ['audit_events:auth.mfa_failed'],
  // A passkey challenge is used up by any answer to it, and a counter that went backwards is audited (API.md, Passkeys).
  'auth.passkey.login': ['passkey_challenges', 'audit_events:passkey.counter_regression'],
  'me.passkeys.register': ['passkey_challenges'],
};

/** Field values for the per-field sweep: the hostile values most likely to get past a parser into a service. */
const FIELD_SWEEP = new Set(['null', 'NUL byte', 'lone surrogate', '200 kB string', 'object', 'deep array (5000)', '__proto__ key']);

const procedures = routerProcedures();

interface Tally {
  tried: number;
  ms: number;
  statuses: Map<number, number>;
}
const tallies = new Map<string, Tally>();
const tally = (key: string): Tally => {
  let entry = tallies.get(key);
  if (!entry) {
    entry = { tried: 0, ms: 0, statuses: new Map() };
    tallies.set(key, entry);
  }
  return entry;
};

let t: TestApp;
let baseUrl: string;
let database: ChangeDetector;
let caller: SignedIn;
let callerRenewals = 0;
let slowestMs = 0;
let hints: Hints;
/** Hints that replace the shared ones for one procedure. */
let hintsByProcedure: Record<string, Hints> = {};
const hintsFor = (procedure: RouterProcedure): Hints => ({ ...hints, ...hintsByProcedure[procedure.path] });

beforeAll(async () => {
  // warn: the error lines of 5xx answers are kept (they name the cause), the two info lines per request are not.
  t = await createTestApp({ LOG_LEVEL: 'warn' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  caller = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
  const victim = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Victim' });
  const inactive = await createSignedInUser(t.db.prisma, t.config, { isActive: false });
  await t.db.prisma.role.create({ data: { name: 'fuzz-editor', permissions: { create: [{ permission: 'users:read' }] } } });
  const ids = [victim.id, inactive.id, CALLER_ID, randomUUID()];
  // Values that exist, so generated inputs also reach the paths behind "not found".
  hints = {
    id: ids,
    actorId: ids,
    targetId: ids,
    sessionId: [victim.sessionId, CALLER_SESSION, randomUUID()],
    name: ['admin', 'user', 'fuzz-editor', 'no-such-role'],
    roles: [['user'], ['user', 'fuzz-editor'], ['admin'], []],
    key: settingsCatalog.map((setting) => setting.key),
    value: ['dark', 'compact', 20, 1.25, true, '#112233', ['activity'], 'Hello', 'https://example.com'],
    // Batches every key of which is valid (the catalog's own defaults), so writes get past validation too.
    settings: [0, 7, 14, 21].map((start) =>
      settingsCatalog.slice(start, start + 7).map((setting) => ({ key: setting.key, value: setting.default })),
    ),
    email: [victim.email, 'Fresh.Address@Example.com', ' Mixed.Case@Example.COM '],
    fullName: ['Ada Lovelace', '  trimmed  '],
    bio: ['Line one\nline two', null],
    password: [TEST_PASSWORD],
    currentPassword: [TEST_PASSWORD],
    refreshToken: [victim.refreshToken],
    theme: ['light', 'dark', 'auto'],
    language: ['en', 'pt-BR'],
    timezone: ['Europe/Paris', 'UTC', 'Mars/Olympus'],
    locale: ['en-GB', 'fr'],
    dateFormat: ['DD/MM/YYYY', 'YYYY-MM-DD'],
    avatarUrl: ['https://example.com/me.png', 'http://example.com/me.png', 'javascript:alert(1)'],
    phoneNumber: ['+14155550123'],
    search: ['victim', '%', '_'],
    action: ['auth.login', 'user.updated'],
    code: ['123456', '000000', 'abcd-efgh-jkmn'],
    recoveryCode: ['abcd-efgh-jkmn'],
    // users.bulk: the caller among them, so its own id is refused per item and never deactivates the fuzzer.
    ids: [[victim.id, CALLER_ID, randomUUID()], [inactive.id, victim.id, victim.id], [CALLER_ID]],
    role: ['user', 'fuzz-editor', 'no-such-role'],
    reason: ['Ticket 4711', 'left the company'],
  };
  hintsByProcedure = {
    // Not the caller: impersonating yourself is a 403 by design, which would read as refusals at the guard.
    'users.impersonate': { id: [victim.id, inactive.id, randomUUID()] },
    // Bulk actions as the contract names them (the shared `action` hint holds audit actions).
    'users.bulk': { action: ['deactivate', 'reactivate', 'revokeSessions', 'assignRole', 'removeRole'] },
  };
  database = await createChangeDetector(t.db.prisma);
});

afterAll(async () => {
  await t?.close();
});

/** `$CALLER_ID` and `$CALLER_SESSION` in generated values become the current caller's. */
function resolvePlaceholders(value: unknown): unknown {
  if (value === CALLER_ID) return caller.id;
  if (value === CALLER_SESSION) return caller.sessionId;
  if (Array.isArray(value)) return value.map(resolvePlaceholders);
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      Object.defineProperty(copy, key, { value: resolvePlaceholders(field), enumerable: true, configurable: true, writable: true });
    }
    return copy;
  }
  return value;
}

/**
 * Successful calls may end the caller's own session (logout, password change, revoking its session), take away
 * its admin role, or make a role of its require MFA (it could then only enrol): the fuzzer then turns that off and
 * signs in a new admin, so the rest of the run still gets past the guards.
 */
async function keepCallerAdmin(): Promise<boolean> {
  const [state] = await t.db.prisma.$queryRaw<{ ok: boolean }[]>`
    SELECT (s.revoked_at IS NULL AND u.is_active AND EXISTS (
              SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = 'admin')
            AND NOT EXISTS (SELECT 1 FROM roles WHERE require_mfa)) AS ok
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ${caller.sessionId}::uuid`;
  if (state?.ok) return false;
  await t.db.prisma.role.updateMany({ where: { requireMfa: true }, data: { requireMfa: false } });
  caller = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
  callerRenewals++;
  return true;
}

const describeRequest = (request: WireRequest) => {
  const body = request.body === undefined ? '' : Buffer.isBuffer(request.body) ? `<${request.body.length} bytes>` : request.body;
  return `${request.method} ${request.url.slice(0, 300)}${body ? ` body ${body.slice(0, 300)}` : ''}`;
};

async function attempt(procedure: RouterProcedure, transport: Transport, payload: Payload, label: string): Promise<void> {
  const auth: Record<string, string> = procedure.access.kind === 'public' ? {} : { authorization: `Bearer ${caller.accessToken}` };
  const resolved: Payload = payload.kind === 'json' ? { kind: 'json', value: resolvePlaceholders(payload.value) } : payload;
  const request = buildRequest(procedure, transport, resolved, auth);
  const what = `${procedure.path} over ${transport} (${label}): ${describeRequest(request)}`;
  t.logs.length = 0;

  let res: Awaited<ReturnType<typeof send>>;
  try {
    res = await send(baseUrl, request, REQUEST_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof RequestTimeout) expect.fail(`hang: ${what}`);
    throw new Error(`no HTTP answer: ${what}`, { cause: error });
  }
  slowestMs = Math.max(slowestMs, res.ms);
  const counts = tally(`${procedure.path} ${transport}`);
  counts.tried++;
  counts.ms += res.ms;
  counts.statuses.set(res.status, (counts.statuses.get(res.status) ?? 0) + 1);

  if (res.status >= 500) {
    const serverLog = t.logs.filter((line) => res.requestId && line.includes(res.requestId)).join('\n');
    expect.fail(`${res.status} for ${what}\nanswer: ${res.body.slice(0, 300)}\nserver log: ${serverLog.slice(0, 1500)}`);
  }

  const changed = await database.changes();
  const accepted = res.status >= 200 && res.status < 300;
  if (!accepted) {
    const allowed = ALLOWED_ON_REFUSAL[procedure.path] ?? [];
    const unexpected = changed.filter((part) => !allowed.includes(part));
    expect(unexpected, `refused with ${res.status} yet changed the database: ${what}\nanswer: ${res.body.slice(0, 300)}`).toEqual([]);
  } else if (procedure.type === 'mutation') {
    await settle();
    // The new admin is the fuzzer's own write, not the call's.
    if (await keepCallerAdmin()) await database.changes();
  }
}

/**
 * Some accepted calls finish their work after answering (a request by address looks the address up afterwards):
 * wait for it, so that what it writes counts as this call's and not as the next one's.
 */
async function settle(): Promise<void> {
  await t.settled();
  await database.changes();
}

/** Generated inputs: schema-shaped values, the same with one field made hostile or missing, or hostile outright. */
function inputArbitrary(procedure: RouterProcedure): fc.Arbitrary<unknown> {
  const valid = schemaArbitrary(procedure.schema, hintsFor(procedure));
  const properties = topLevelProperties(procedure.schema);
  const asObject = (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const oneFieldHostile = fc
    .tuple(valid, fc.constantFrom(...properties, ...HOSTILE_KEYS), hostileValue)
    .map(([value, key, hostile]) => withOwnKey(asObject(value), key, hostile));
  const arbitraries = [
    { arbitrary: valid, weight: 5 },
    { arbitrary: oneFieldHostile, weight: 3 },
    { arbitrary: hostileValue, weight: 1 },
  ];
  if (properties.length > 0) {
    const oneFieldMissing = fc.tuple(valid, fc.constantFrom(...properties)).map(([value, key]) => {
      const { [key]: _dropped, ...rest } = asObject(value);
      return rest;
    });
    arbitraries.push({ arbitrary: oneFieldMissing, weight: 1 });
  }
  return fc.oneof(...arbitraries);
}

/** One schema-shaped input to make hostile field by field, the same on every run. */
function baseInput(procedure: RouterProcedure): Record<string, unknown> {
  const [sample] = fc.sample(schemaArbitrary(procedure.schema, hintsFor(procedure)), { numRuns: 1, seed: 42 });
  return typeof sample === 'object' && sample !== null && !Array.isArray(sample) ? (sample as Record<string, unknown>) : {};
}

describe.each(procedures.map((procedure) => ({ name: procedure.path, procedure })))('$name', ({ procedure }) => {
  it.each(TRANSPORTS)('hostile input over %s: no 5xx, no hang, nothing written when refused', async (transport) => {
    for (const hostile of HOSTILE_VALUES)
      await attempt(procedure, transport, { kind: 'json', value: hostile.value }, `input = ${hostile.label}`);

    const base = baseInput(procedure);
    for (const property of topLevelProperties(procedure.schema)) {
      for (const hostile of HOSTILE_VALUES.filter(({ label }) => FIELD_SWEEP.has(label))) {
        await attempt(
          procedure,
          transport,
          { kind: 'json', value: withOwnKey(base, property, hostile.value) },
          `${property} = ${hostile.label}`,
        );
      }
    }
    // Deep nesting inside a field the schema allows to nest (setting values), not just at the top.
    if (procedure.path.endsWith('settings.update')) {
      const deep = { ...base, settings: [{ key: 'ui.dashboard_widgets', value: deepMarker('array', 5000) }] };
      await attempt(procedure, transport, { kind: 'json', value: deep }, 'setting value nested 5000 deep');
    }
    const readsQuery = transport === 'trpc' ? procedure.type === 'query' : ['GET', 'DELETE'].includes(procedure.rest.method);
    if (readsQuery) for (const raw of RAW_QUERIES) await attempt(procedure, transport, { kind: 'raw-query', query: raw.query }, raw.label);
    else
      for (const raw of RAW_BODIES)
        await attempt(procedure, transport, { kind: 'raw-body', body: raw.body, contentType: raw.contentType }, raw.label);

    const counts = tally(`${procedure.path} ${transport}`);
    if (procedure.access.kind !== 'public') {
      // The guard let the admin through: what was refused, was refused by validation or by the service.
      const unauthorized = (counts.statuses.get(401) ?? 0) + (counts.statuses.get(403) ?? 0);
      expect(unauthorized, `${procedure.path}: refused at the guard`).toBeLessThanOrEqual(counts.tried * 0.05);
    }
    // A REST GET of a procedure without input ignores the query string: there is nothing to refuse.
    if (!(readsQuery && transport === 'rest' && procedure.takesNoInput)) {
      expect(counts.statuses.get(400) ?? 0, `${procedure.path}: no input was refused as invalid`).toBeGreaterThan(0);
    }
  });

  it.each(TRANSPORTS)('inputs generated from the zod schema over %s (fast-check)', async (transport) => {
    await fc.assert(
      fc.asyncProperty(inputArbitrary(procedure), async (value) => {
        await attempt(procedure, transport, { kind: 'json', value }, 'generated');
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });
});

describe('the whole router', () => {
  it('was fuzzed over both transports, and nothing polluted a prototype', (context) => {
    // The app runs in this process: a prototype polluted by a request would show here.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const rows = [...tallies.entries()].sort(([a], [b]) => a.localeCompare(b));
    expect(rows.length).toBe(procedures.length * TRANSPORTS.length);
    const total = rows.reduce((sum, [, counts]) => sum + counts.tried, 0);
    const statuses = new Map<number, number>();
    for (const [, counts] of rows) {
      for (const [status, n] of counts.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
    }
    const histogram = (map: Map<number, number>) =>
      [...map.entries()]
        .sort(([a], [b]) => String(a).localeCompare(String(b)))
        .map(([key, n]) => `${key}×${n}`)
        .join(' ');
    console.log(
      [
        'inputs tried per procedure and transport:',
        ...rows.map(
          ([key, counts]) =>
            `  ${key.padEnd(34)} ${String(counts.tried).padStart(4)} ${Math.round(counts.ms)}ms  ${histogram(counts.statuses)}`,
        ),
      ].join('\n'),
    );
    reportFigures(context, {
      inputsTried: total,
      notes: {
        procedures: procedures.length,
        transports: TRANSPORTS.length,
        statuses: histogram(statuses),
        // Any 5xx fails its test, so a run that gets here saw none.
        '5xx': 0,
        'slowest answer ms': Math.round(slowestMs),
        'caller renewals': callerRenewals,
      },
    });
  });
});
