// Writes the REST document, built from the router without a server, to the file named (for the linters in .ci/run).
import { writeFileSync } from 'node:fs';
import { appRouter, buildOpenApiDocument } from '@ums/server';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: write-openapi-document.ts <file.json>');
writeFileSync(file, JSON.stringify(buildOpenApiDocument(appRouter, 'http://localhost:3000'), null, 2));
