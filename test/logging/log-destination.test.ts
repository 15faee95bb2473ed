import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const fixture = join(import.meta.dirname, 'fixtures/log-then-end.ts');

/** Runs the fixture with stdout on a pipe (as under a process manager); its exit code and every line it wrote. */
function run(ending: 'exit' | 'crash'): Promise<{ code: number | null; lines: Array<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, ending], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const lines = output
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, lines });
    });
  });
}

describe('the non-blocking log destination', () => {
  it('writes a line out while the process runs on and logs nothing else (lines are batched, not held until exit)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, 'quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const runningWhenItArrived = await new Promise<boolean>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += String(chunk);
          if (text.includes('the only line')) resolve(child.exitCode === null);
        });
        child.once('close', () => reject(new Error(`exited first; it wrote: ${text}`)));
      });
      expect(runningWhenItArrived).toBe(true);
    } finally {
      child.kill();
    }
  }, 60_000);

  it('writes out every line logged right before process.exit', async () => {
    const { code, lines } = await run('exit');
    expect(code).toBe(0);
    expect(lines).toHaveLength(5001);
    expect(lines.at(-1)?.msg).toBe('last line before exit');
  }, 60_000);

  it('writes out every line logged right before a crash, then the crash as fatal, and exits with 1', async () => {
    const { code, lines } = await run('crash');
    expect(code).toBe(1);
    expect(lines).toHaveLength(5002);
    expect(lines.at(-2)?.msg).toBe('last line before crash');
    expect(lines.at(-1)).toMatchObject({ level: 60, msg: 'uncaught exception: exiting', err: { message: 'the crash under test' } });
  }, 60_000);
});
