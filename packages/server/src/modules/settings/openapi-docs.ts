import { settingsCatalog } from '@ums/contract';
import type { OperationDocs, ProcedurePath } from '../../openapi/operation-doc.ts';

/** The REST document's words on the `settings` procedures (see openapi/operation-doc.ts). */
export const settingsDocs = {
  'settings.catalog': {
    description:
      'Every setting the service knows: its key, type, category, default, validation rules and whether it is public by ' +
      'default. Values written through the settings operations are checked against it. Any signed-in user may read it.',
    throws: [],
    example: {
      response: {
        items: settingsCatalog.slice(0, 2).map((definition) => ({
          ...definition,
          validationRules: {
            ...definition.validationRules,
            allowed_values: definition.validationRules.allowed_values && [...definition.validationRules.allowed_values],
          },
        })),
      },
    },
  },
} satisfies OperationDocs<Extract<ProcedurePath, `settings.${string}`>>;
