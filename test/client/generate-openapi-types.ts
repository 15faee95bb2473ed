// Rewrites generated/openapi.d.ts from the document the server serves (test/client/rest-openapi.test.ts fails when stale).
import { writeFileSync } from 'node:fs';
import { appRouter, buildOpenApiDocument } from '@ums/server';
import { GENERATED_TYPES_FILE, generateOpenApiTypes } from './openapi-types.ts';

writeFileSync(GENERATED_TYPES_FILE, await generateOpenApiTypes(buildOpenApiDocument(appRouter, 'http://localhost:3000')));
console.log(`wrote ${GENERATED_TYPES_FILE.pathname}`);
