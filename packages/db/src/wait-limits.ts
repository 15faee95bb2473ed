// How long a query or transaction may queue for a connection before the caller gets a 503: long enough that a burst
// of hundreds of requests is served rather than refused, short enough to stay inside a client's patience.
export const POOL_WAIT_MS = 10_000;
// A transaction gives up just before the pool would, so its error is the one that says what happened.
export const TRANSACTION_MAX_WAIT_MS = POOL_WAIT_MS - 1000;
export const TRANSACTION_TIMEOUT_MS = 15_000;
