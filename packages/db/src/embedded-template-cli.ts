// Run at install time (postinstall): prepares the snapshot that makes the embedded database's first start fast.
import { embeddedTemplatePath, writeEmbeddedTemplate } from './embedded-template.ts';

await writeEmbeddedTemplate();
console.log(`embedded database template: ${embeddedTemplatePath}`);
process.exit(0);
