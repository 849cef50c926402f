// Tokenizes the hostile policies (core/tests/hostile/cases.json), each
// within its budget, printing `start NAME` and `ok NAME SECONDS`; run by
// corpus.test.mjs in a child process with a deadline. Exits 1 on a failure.
import { check } from './check.mjs';
import { hostilePolicies, budget } from './corpus.mjs';

const { policies, seconds } = hostilePolicies();
try {
  for (const p of policies) {
    const limit = budget(p.text, seconds);
    console.log(`start ${p.name}`);
    const started = performance.now();
    await check(p.name, p.text, true, limit * 1000);
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= limit) {
      throw new Error(`${p.name}: ${elapsed.toFixed(1)} s to tokenize ${p.text.length} characters (budget ${limit.toFixed(1)} s)`);
    }
    console.log(`ok ${p.name} ${elapsed.toFixed(2)}`);
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
