import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { productionLaunch, startScript } from '../../apps/server/scripts/production-launch.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The real service as `pnpm start` runs it (compiled, with its Node flags), with the given environment. */
export function spawnServer(env: Record<string, string>): ServerProcess {
  const launch = productionLaunch();
  return spawnProcess(process.execPath, launch.args, { ...launch.env, ...env });
}

/**
 * The production start command itself (apps/server/bin/start, what a container or process manager runs), or
 * `pnpm start` with `via: 'pnpm'`: `child` is then the script (which becomes node) or pnpm.
 */
export function spawnStartCommand(env: Record<string, string>, via: 'script' | 'pnpm' = 'script'): ServerProcess {
  return via === 'pnpm' ? spawnProcess('pnpm', ['start'], env) : spawnProcess(startScript, [], env);
}

function spawnProcess(command: string, args: string[], env: Record<string, string>): ServerProcess {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    baseUrl: `http://127.0.0.1:${env.PORT ?? '3000'}`,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls GET /health until it answers `status` or the deadline passes; returns the milliseconds it took. */
export async function waitForHealth(baseUrl: string, { status = 200, timeoutMs = 15_000 } = {}): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(3000) });
      if (res.status === status) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`/health did not answer ${status} within ${timeoutMs} ms`);
}
