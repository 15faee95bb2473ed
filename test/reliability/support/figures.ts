import type { TestContext } from 'vitest';

/** What a reliability test proved, in numbers: printed under the test and gathered by figures-reporter.ts. */
export interface Figures {
  inputsTried?: number;
  faultsInjected?: number;
  writesAcknowledged?: number;
  writesFound?: number;
  instances?: number;
  /** Anything else worth reading (statuses seen, latencies, conflicts…), as short `name: value` pairs. */
  notes?: Record<string, string | number>;
}

declare module 'vitest' {
  interface TaskMeta {
    figures?: Figures;
  }
}

export function formatFigures(figures: Figures): string {
  const main = [
    figures.inputsTried === undefined ? null : `inputs tried ${figures.inputsTried}`,
    figures.faultsInjected === undefined ? null : `faults injected ${figures.faultsInjected}`,
    figures.writesAcknowledged === undefined
      ? null
      : `writes acknowledged ${figures.writesAcknowledged} / found ${figures.writesFound ?? '?'}`,
    figures.instances === undefined ? null : `instances ${figures.instances}`,
  ].filter(Boolean);
  const notes = Object.entries(figures.notes ?? {}).map(([name, value]) => `${name} ${value}`);
  return [...main, ...notes].join(' · ');
}

/** Attaches the figures to the running test and prints them at once. */
export function reportFigures(context: Pick<TestContext, 'task'>, figures: Figures): void {
  context.task.meta.figures = figures;
  console.log(`[figures] ${context.task.name}: ${formatFigures(figures)}`);
}
