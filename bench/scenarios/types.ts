import type { RequestSpec } from '../lib/load.ts';
import type { ScenarioGroup } from '../lib/options.ts';
import type { ChildServer } from '../lib/server-process.ts';
import type { SettingsPlan } from '../lib/settings-catalog.ts';
import type { BenchIdentities } from '../lib/tokens.ts';

export interface BenchContext {
  app: ChildServer;
  baseline: ChildServer;
  identities: BenchIdentities;
  /** The 20-key settings batch, or why there is none (the settings procedures may not exist yet). */
  settings: SettingsPlan | { unavailable: string };
  log: (line: string) => void;
}

export type Preparation = { ready: true; next: () => RequestSpec; note?: string } | { ready: false; reason: string };

export interface Scenario {
  id: string;
  /** What `--only` selects it by; the baseline always runs. */
  group: ScenarioGroup | 'baseline';
  /** As shown in the table. */
  title: string;
  target: 'app' | 'baseline';
  /** Finds what the load needs (cursors, catalog) and checks one request succeeds; "not available" otherwise. */
  prepare(ctx: BenchContext): Promise<Preparation>;
}
