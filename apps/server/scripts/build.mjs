// Compiles the server and the workspace packages it runs on to JavaScript, each package's src/ to a dist/ beside
// it (same depth, so paths the code resolves from its own location still hold). Production runs that JavaScript:
// no TypeScript loader in the process (~40 MB less memory, a faster start). Type checking stays `pnpm typecheck`;
// this only strips types, file by file, with TypeScript's own transpiler.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const packages = ['packages/contract', 'packages/db', 'packages/server', 'apps/server'];

const compilerOptions = {
  target: ts.ScriptTarget.ES2023,
  // Every package here is "type": "module"; transpiling file by file, TypeScript cannot see that itself.
  module: ts.ModuleKind.ESNext,
  verbatimModuleSyntax: true,
  rewriteRelativeImportExtensions: true,
  sourceMap: false,
};

/** Every TypeScript source under `dir`, tests excluded. */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const stampFile = join(repo, 'apps/server/dist/.built');

/** Compiles every package afresh. */
export function buildServer() {
  const started = performance.now();
  let files = 0;
  for (const pkg of packages) {
    const src = join(repo, pkg, 'src');
    const dist = join(repo, pkg, 'dist');
    rmSync(dist, { recursive: true, force: true });
    for (const file of sources(src)) {
      const { outputText, diagnostics } = ts.transpileModule(readFileSync(file, 'utf8'), {
        compilerOptions,
        fileName: file,
        reportDiagnostics: true,
      });
      if (diagnostics?.length)
        throw new Error(`${relative(repo, file)}: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
      const target = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outputText);
      files += 1;
    }
  }
  writeFileSync(stampFile, new Date().toISOString());
  return { files, ms: Math.round(performance.now() - started) };
}

/** Builds only when a source is newer than the last build (test runs build once, in their global setup). */
export function ensureServerBuilt() {
  const builtAt = existsSync(stampFile) ? statSync(stampFile).mtimeMs : 0;
  const changedAt = Math.max(...packages.map((pkg) => newest(join(repo, pkg, 'src'))));
  if (changedAt >= builtAt) buildServer();
}

/** The newest modification time under `path`, in milliseconds. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `--if-stale` (bin/start): never rebuild a dist/ that is current, which another server process may be loading.
  if (process.argv.includes('--if-stale')) ensureServerBuilt();
  else {
    const { files, ms } = buildServer();
    console.log(`server: compiled ${files} files in ${ms} ms`);
  }
}
