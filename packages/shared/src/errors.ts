import { TRPCClientError } from '@trpc/client';
import type { TIssue } from '@ums/contract';

/** The contract's error code of a failed call (`CONFLICT`, `FORBIDDEN`…), or undefined for a network failure. */
export function errorCodeOf(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const code = (error.data as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The field problems the server listed (`error.data.issues`), each with its path. */
export function issuesOf(error: unknown): TIssue[] {
  if (!(error instanceof TRPCClientError)) return [];
  const issues = (error.data as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (issue): issue is TIssue =>
      typeof issue === 'object' && issue !== null && Array.isArray(issue.path) && typeof issue.message === 'string',
  );
}

/** Issues keyed by their dotted path (`settings.0.value`), for showing each message next to its field. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const issue of issuesOf(error)) {
    const key = issue.path.join('.');
    byField[key] = byField[key] ? `${byField[key]}; ${issue.message}` : issue.message;
  }
  return byField;
}
