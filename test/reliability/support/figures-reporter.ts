import type { Reporter, TestCase } from 'vitest/node';
import { type Figures, formatFigures } from './figures.ts';

/** Prints every test's figures together at the end of the run, so one screen shows what the suite proved. */
export default class FiguresReporter implements Reporter {
  private readonly rows: { name: string; state: string; figures: Figures }[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const figures = testCase.meta().figures;
    if (figures) this.rows.push({ name: testCase.fullName, state: testCase.result().state, figures });
  }

  onTestRunEnd(): void {
    if (this.rows.length === 0) return;
    const lines = this.rows.map(
      ({ name, state, figures }) => `  ${state === 'passed' ? '✓' : '✗'} ${name}\n      ${formatFigures(figures)}`,
    );
    console.log(`\nReliability figures\n${lines.join('\n')}\n`);
  }
}
