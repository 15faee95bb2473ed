const CHECK_EVERY_MS = 500;

/**
 * Under `pnpm start` the package manager is this process's parent (its start script execs node). pnpm passes a
 * SIGTERM on to it, but a pnpm that dies without passing anything (SIGKILL, a crash) would leave the server running
 * unsupervised: when the parent changes (the process was re-parented), `onExit` runs once, as a signal would.
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
