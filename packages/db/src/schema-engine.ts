// Prisma's WebAssembly schema engine, driven through a driver adapter: migrations without the native
// engine binary, which Prisma's CLI would download and this network cannot reach.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';

const require = createRequire(import.meta.url);

// Node has WebAssembly; the ES lib types without DOM do not describe it.
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let initialised: Promise<void> | undefined;

// The package ships wasm-bindgen glue meant for bundlers; instantiate the module by hand, once per process.
function initialise(): Promise<void> {
  initialised ??= (async () => {
    const dir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const wasm = await readFile(join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await wasmApi.instantiate(wasm, { './schema_engine_bg.js': bindings });
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start?: () => void };
    (bindings as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start?.();
  })();
  return initialised;
}

export async function loadSchemaEngine(schema: string, adapter: SqlMigrationAwareDriverAdapterFactory): Promise<SchemaEngine> {
  await initialise();
  const log = (message: string) => {
    if (process.env.SCHEMA_ENGINE_DEBUG) console.error('[schema-engine]', message);
  };
  const engine: SchemaEngine = await bindings.SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  return engine;
}
