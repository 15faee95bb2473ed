export { registerHttpDrain } from './http-drain.ts';
export { watchLauncher } from './launcher-watch.ts';
export { createLifecycle, type Lifecycle } from './lifecycle.ts';
export { type ShutdownOutcome, shutDown } from './shutdown.ts';
