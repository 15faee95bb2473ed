import type { Db } from '@ums/db';
import type { ServerConfig } from '../config.ts';
import type { AuditActor } from './audit/record-audit.ts';
import type { TokenService } from './auth/tokens.ts';

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
}
