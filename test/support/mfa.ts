import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { rest } from './client.ts';
import { awayFromStepEdge, currentStep, totpCode } from './totp.ts';

export interface EnabledTotp {
  secret: string;
  recoveryCodes: string[];
}

/**
 * Sets up and confirms TOTP through the API for a signed-in caller. The confirmation uses the previous step's
 * code, so the current and the next step are still free for the test.
 */
export async function enableTotp(app: FastifyInstance, headers: Record<string, string>): Promise<EnabledTotp> {
  const setup = await rest(app, 'POST', '/users/me/mfa/totp/setup', { headers });
  expect(setup.statusCode, setup.body).toBe(200);
  const { secret } = setup.json() as { secret: string };
  await awayFromStepEdge();
  const confirm = await rest(app, 'POST', '/users/me/mfa/totp/confirm', { headers, body: { code: totpCode(secret, currentStep() - 1) } });
  expect(confirm.statusCode, confirm.body).toBe(200);
  return { secret, recoveryCodes: (confirm.json() as { recoveryCodes: string[] }).recoveryCodes };
}

/** The first sign-in step; expects the MFA challenge and returns its token. */
export async function firstStep(app: FastifyInstance, { email, password }: { email: string; password: string }): Promise<string> {
  const res = await rest(app, 'POST', '/auth/login', { body: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(body.mfaRequired).toBe(true);
  return body.mfaToken as string;
}

export const secondStep = (app: FastifyInstance, body: { mfaToken: string; code?: string; recoveryCode?: string }) =>
  rest(app, 'POST', '/auth/mfa/verify', { body });
