// Writes changegate.tmLanguage.json from grammar.mjs. The test suite checks
// that the committed file is what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { grammarJson } from './grammar.mjs';

const out = fileURLToPath(new URL('./changegate.tmLanguage.json', import.meta.url));
writeFileSync(out, grammarJson());
console.log(`wrote ${out}`);
