import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const OUTPUT_KEPT = 20_000;

export interface ChildServer {
  name: string;
  pid: number;
  /** `http://127.0.0.1:<port>`: load goes to the loopback address only. */
  baseUrl: string;
  /** The last lines the process wrote (stdout and stderr), for error messages. */
  output(): string;
  /** Warning and error log lines (pino level ≥ 40) since the last call, counted by message. */
  takeErrors(): Map<string, number>;
  /** Starts a new peak: the kernel's high-water mark (VmHWM) is reset to the current RSS. */
  resetPeakRss(): void;
  /** Peak resident memory in bytes since the last reset (VmHWM of /proc/<pid>/status). */
  peakRss(): number | null;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// Last resort if the runner dies without its cleanup: no orphan servers keep the database busy.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface StartOptions {
  name: string;
  cwd: string;
  /** Node's arguments: flags, then the script. */
  args: string[];
  port: number;
  env: Record<string, string>;
  startTimeoutMs?: number;
}

/** Runs `node <args>` with only the given environment, and waits until GET /health answers 200. */
export async function startServer({ name, cwd, args, port, env, startTimeoutMs = 60_000 }: StartOptions): Promise<ChildServer> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  let errors = new Map<string, number>();
  let partialLine = '';
  const keep = (chunk: unknown) => {
    output = (output + String(chunk)).slice(-OUTPUT_KEPT);
    const lines = (partialLine + String(chunk)).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      const message = errorMessage(line);
      if (message) errors.set(message, (errors.get(message) ?? 0) + 1);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start node ${args.join(' ')}`);

  const server: ChildServer = {
    name,
    pid,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    takeErrors: () => {
      const taken = errors;
      errors = new Map();
      return taken;
    },
    resetPeakRss: () => {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // Not Linux, or not allowed: the peak then covers the process's whole life.
      }
    },
    peakRss: () => {
      try {
        const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match?.[1] ? Number(match[1]) * 1024 : null;
      } catch {
        return null;
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(forced);
    },
  };

  const deadline = performance.now() + startTimeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await server.stop();
  throw new Error(`${name}: /health did not answer 200 within ${startTimeoutMs / 1000} s:\n${output}`);
}

/** `error: procedure failed: <the error's first line>` for a pino line at warn level or above; null for anything else. */
// pino's lines start with their level: the access log's info lines (thousands a second) are passed over unparsed.
const BELOW_WARN = /^\{"level":[1-3]\d,/;

function errorMessage(line: string): string | null {
  if (BELOW_WARN.test(line)) return null;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof entry !== 'object' || entry === null || !('level' in entry) || typeof entry.level !== 'number' || entry.level < 40)
    return null;
  const level = entry.level >= 50 ? 'error' : 'warn';
  const msg = 'msg' in entry && typeof entry.msg === 'string' ? entry.msg : 'error';
  const err = 'err' in entry && typeof entry.err === 'object' && entry.err !== null ? entry.err : null;
  const cause = err && 'message' in err && typeof err.message === 'string' ? err.message.split('\n')[0]?.trim().slice(0, 160) : undefined;
  return cause ? `${level}: ${msg}: ${cause}` : `${level}: ${msg}`;
}
