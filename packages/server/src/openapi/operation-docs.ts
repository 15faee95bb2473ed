import { auditDocs } from '../modules/audit/openapi-docs.ts';
import { authDocs } from '../modules/auth/openapi-docs.ts';
import { erasureDocs } from '../modules/erasure/openapi-docs.ts';
import { exportDocs } from '../modules/export/openapi-docs.ts';
import { impersonationDocs } from '../modules/impersonation/openapi-docs.ts';
import { meDocs } from '../modules/me/openapi-docs.ts';
import { mfaDocs } from '../modules/mfa/openapi-docs.ts';
import { passkeysDocs } from '../modules/passkeys/openapi-docs.ts';
import { rbacDocs } from '../modules/rbac/openapi-docs.ts';
import { settingsDocs } from '../modules/settings/openapi-docs.ts';
import { statsDocs } from '../modules/stats/openapi-docs.ts';
import { usersDocs } from '../modules/users/openapi-docs.ts';
import { webhooksDocs } from '../modules/webhooks/openapi-docs.ts';
import type { OperationDoc, OperationDocs, ProcedurePath } from './operation-doc.ts';

/** Every procedure's words in the REST document: a procedure missing here fails the type check. */
export const operationDocs: OperationDocs = {
  ...authDocs,
  ...usersDocs,
  ...impersonationDocs,
  ...meDocs,
  ...rbacDocs,
  ...settingsDocs,
  ...auditDocs,
  ...webhooksDocs,
  ...mfaDocs,
  ...passkeysDocs,
  ...erasureDocs,
  ...statsDocs,
  ...exportDocs,
};

export const operationDocOf = (path: string): OperationDoc<ProcedurePath> | undefined =>
  (operationDocs as Record<string, OperationDoc<ProcedurePath>>)[path];
