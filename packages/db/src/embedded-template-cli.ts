// Run at install time (postinstall): prepares the snapshot that makes the embedded database's first start fast.
import { existsSync } from 'node:fs';
import { embeddedTemplatePath, writeEmbeddedTemplate } from './embedded-template.ts';

if (!existsSync(embeddedTemplatePath)) {
  await writeEmbeddedTemplate();
  console.log(`embedded database template: ${embeddedTemplatePath}`);
}
process.exit(0);
