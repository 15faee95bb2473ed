import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type pg from 'pg';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface Environment {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  postgres: string;
  commit: string;
  packages: Array<[string, string]>;
}

// Package name → a workspace package that depends on it (where it resolves from).
const PACKAGES: Array<[string, string]> = [
  ['fastify', 'packages/server'],
  ['@trpc/server', 'packages/server'],
  ['trpc-to-openapi', 'packages/server'],
  ['zod', 'packages/server'],
  ['@prisma/client', 'packages/db'],
  ['@prisma/adapter-pg', 'packages/db'],
  ['pg', 'packages/db'],
  ['jsonwebtoken', 'packages/server'],
  ['@node-rs/argon2', 'packages/server'],
  ['autocannon', 'bench'],
];

export async function describeEnvironment(client: pg.Client): Promise<Environment> {
  const postgres = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown';
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    postgres,
    commit: gitCommit(),
    packages: PACKAGES.map(([name, from]) => [name, packageVersion(name, from)]),
  };
}

function packageVersion(name: string, from: string): string {
  // pnpm links each dependency into the node_modules of the package that declares it.
  for (const dir of [join(repoRoot, from), repoRoot]) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  }
  return 'unknown';
}

function gitCommit(): string {
  // Read-only: GIT_OPTIONAL_LOCKS=0 keeps `git status` from refreshing the index of the shared tree.
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoRoot, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  try {
    const commit = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no');
    return dirty ? `${commit} + uncommitted changes` : commit;
  } catch {
    return 'unknown';
  }
}
