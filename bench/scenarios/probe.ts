import { describeAnswer, isSuccess, send } from '../lib/http.ts';
import type { RequestSpec } from '../lib/load.ts';
import type { ChildServer } from '../lib/server-process.ts';
import type { Preparation } from './types.ts';

/** Ready when one request of the load succeeds; otherwise "not available" with the server's answer. */
export async function readyIfAnswers(server: ChildServer, next: () => RequestSpec, note?: string): Promise<Preparation> {
  const answer = await send(server.baseUrl, next());
  if (!isSuccess(answer.status)) return { ready: false, reason: describeAnswer(answer) };
  return { ready: true, next, ...(note ? { note } : {}) };
}
