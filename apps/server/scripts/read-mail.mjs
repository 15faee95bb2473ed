// `pnpm mail [file]`: the newest message of the development mailbox (DATA_DIR/mail, used when SMTP_URL is not set),
// or the given .eml file, decoded: headers and the plain-text body with its links, ready to open or copy.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';

const folder = resolve(process.env.INIT_CWD ?? process.cwd(), process.env.DATA_DIR ?? '.data', 'mail');
const [given] = process.argv.slice(2);

function newest() {
  let names;
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.eml'));
  } catch {
    names = [];
  }
  if (names.length === 0) {
    console.error(`No mail in ${folder} yet.`);
    process.exit(1);
  }
  return names.map((name) => join(folder, name)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

const file = given ? resolve(process.env.INIT_CWD ?? process.cwd(), given) : newest();
const mail = await simpleParser(readFileSync(file));
console.log(`File:    ${file}`);
console.log(`Date:    ${mail.date?.toISOString() ?? ''}`);
console.log(`To:      ${mail.to && !Array.isArray(mail.to) ? mail.to.text : ''}`);
console.log(`Subject: ${mail.subject ?? ''}\n`);
console.log(mail.text ?? '');
