/**
 * Server faults the fuzzer has found but their owners have not fixed yet. The fuzzer tolerates a 5xx only when the
 * request carries a listed defect's trigger AND the server logged that defect's own error for it; any other 5xx
 * fails the run. A defect listed here also gets an `it.fails` reproduction in known-defects.test.ts, and both go
 * when it is fixed (the reproduction staying on as a plain regression test).
 *
 * Empty: D1–D7 (docs/security.md) are fixed, so today the fuzzer tolerates no 5xx at all.
 */
export interface KnownDefect {
  id: string;
  summary: string;
  /** The request as sent (URL and body) contains what triggers it. */
  triggeredBy(sent: string): boolean;
  /** The server's error log line for the request shows this defect's failure. */
  loggedAs: RegExp;
}

export const KNOWN_DEFECTS: readonly KnownDefect[] = [];

/** The known defect that explains a 5xx, if any. `sent` is the URL and body as sent; URLs are read decoded too. */
export function explainServerError(sent: string, serverLog: string): KnownDefect | undefined {
  const readings = [sent, decodeUrl(sent)];
  return KNOWN_DEFECTS.find((defect) => readings.some((text) => defect.triggeredBy(text)) && defect.loggedAs.test(serverLog));
}

function decodeUrl(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-f]{2})/gi, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}
