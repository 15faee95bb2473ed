// Rewrites generated/openapi.d.ts (openapi-typescript) and generated/rest-client.ts (swagger-typescript-api) from
// the document the server serves; test/client/rest-openapi.test.ts and rest-client.test.ts fail when either is stale.
import { writeFileSync } from 'node:fs';
import { appRouter, buildOpenApiDocument } from '@ums/server';
import { GENERATED_TYPES_FILE, generateOpenApiTypes } from './openapi-types.ts';
import { GENERATED_CLIENT_FILE, generateRestClient } from './rest-client-generator.ts';

const document = buildOpenApiDocument(appRouter, 'http://localhost:3000');
writeFileSync(GENERATED_TYPES_FILE, await generateOpenApiTypes(document));
writeFileSync(GENERATED_CLIENT_FILE, await generateRestClient(document));
console.log(`wrote ${GENERATED_TYPES_FILE.pathname} and ${GENERATED_CLIENT_FILE.pathname}`);
