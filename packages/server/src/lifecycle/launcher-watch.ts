const CHECK_EVERY_MS = 500;

/**
 * Under `pnpm start` the package manager is this process's parent, and a SIGTERM sent to it alone is not passed
 * on: pnpm exits and leaves the server running. Its start script execs node, so the parent is pnpm itself; when
 * the parent changes (it died, the process was re-parented), `onExit` runs once, as a signal would.
 */
export function watchLauncher(onExit: () => void): void {
  const launcher = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    onExit();
  }, CHECK_EVERY_MS);
  timer.unref();
}
