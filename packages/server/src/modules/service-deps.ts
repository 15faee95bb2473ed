import type { Db } from '@ums/db';
import type { BackgroundTasks } from '../background/background-tasks.ts';
import type { ServerConfig } from '../config.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { AuditActor } from './audit/record-audit.ts';
import type { TokenService } from './auth/tokens.ts';
import type { ResolveHost } from './webhooks/target-guard.ts';
import type { WebhookWake } from './webhooks/webhook-wake.ts';

/**
 * What services are called with, first: `verbNoun(deps, input)`. Each service picks the parts it uses; the tRPC
 * context holds them all, so a procedure hands its context over as it is.
 */
export interface ServiceDeps {
  db: Db;
  config: ServerConfig;
  tokens: TokenService;
  /** Who is acting, as the audit trail records them. */
  actor: AuditActor;
  /** Seals secrets kept at rest under ENCRYPTION_KEY. */
  secrets: SecretBox;
  /** This instance's outbox dispatcher: `wake()` after committing a transaction that enqueued a delivery. */
  outbox: { wake(): void };
  /** Work started after the answer is decided (see background-tasks.ts). */
  background: BackgroundTasks;
  /** How webhook targets are resolved (the SSRF guard), and the dispatcher's wake after a write that may emit events. */
  webhooks: { resolveHost: ResolveHost; wake: WebhookWake };
}
