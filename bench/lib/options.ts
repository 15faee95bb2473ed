import { parseArgs } from 'node:util';

/** Scenario groups `--only` accepts. The baseline always runs: every figure is a ratio of it. */
export const scenarioGroups = ['me', 'list', 'preferences', 'settings', 'login', 'audit', 'hash', 'stats'] as const;
export type ScenarioGroup = (typeof scenarioGroups)[number];

export interface BenchOptions {
  groups: ReadonlySet<ScenarioGroup>;
  quick: boolean;
  profile: boolean;
  /** Leave the seeded database in place at the end (to EXPLAIN the hot queries against 100,000 users). */
  keepDatabase: boolean;
  /** Connection counts every scenario runs at. */
  connections: readonly number[];
  warmupSeconds: number;
  durationSeconds: number;
  /** Users seeded in bulk, and audit events. */
  users: number;
  auditEvents: number;
  /** Runs that would end after this many seconds from the start are skipped (and reported), so a run fits about 12 minutes. */
  budgetSeconds: number;
}

const usage = `pnpm bench [-- options]
  --only me,list,...   run a subset of: ${scenarioGroups.join(', ')} (the baseline always runs)
  --quick              1 s per run, for smoke testing
  --users N            users seeded (default 100,000; e.g. 1000000 to see how the cost grows)
  --audit-events N     audit events seeded (default 1,000,000)
  --budget-seconds N   skip runs that would end later than this from the start (default 660; raise it for big seeds)
  --profile            start the server with --cpu-prof; profiles go to bench/profiles
  --keep-database      do not drop the seeded database at the end (its name is printed)
  --help`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  // `pnpm bench -- --quick` hands the script a literal `--`.
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      users: { type: 'string', default: '100000' },
      'audit-events': { type: 'string', default: '1000000' },
      'budget-seconds': { type: 'string', default: '660' },
      profile: { type: 'boolean', default: false },
      'keep-database': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const groups = new Set<ScenarioGroup>();
  for (const name of (values.only ?? scenarioGroups.join(',')).split(',')) {
    const group = scenarioGroups.find((known) => known === name.trim());
    if (!group) throw new Error(`--only: unknown scenario group "${name}" (known: ${scenarioGroups.join(', ')})`);
    groups.add(group);
  }
  const quick = values.quick === true;
  const users = Number(values.users);
  if (!Number.isSafeInteger(users) || users < 1000) throw new Error(`--users: a whole number of at least 1000, not "${values.users}"`);
  return {
    groups,
    quick,
    profile: values.profile === true,
    keepDatabase: values['keep-database'] === true,
    connections: [10, 100, 500],
    warmupSeconds: quick ? 0 : 1,
    durationSeconds: quick ? 1 : 5,
    users,
    auditEvents: wholeNumber('--audit-events', values['audit-events'], 1000),
    budgetSeconds: wholeNumber('--budget-seconds', values['budget-seconds'], 60),
  };
}

function wholeNumber(option: string, value: string | undefined, min: number): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min) throw new Error(`${option}: a whole number of at least ${min}, not "${value}"`);
  return number;
}
