// The library surface as a TypeScript user meets it: test/consumer/consumer.ts imports every
// public name and type from 'domfleet' and is compiled with tsc --strict, together with the
// README's library examples, then run. The API report (etc/domfleet.api.md) must match what
// api-extractor makes of dist/index.d.ts, so a change to the surface shows in review.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXAMPLES, ROOT, scratch } from './helpers/run.mjs';

const OUT = join(ROOT, '.cache', 'consumer');
const EXAMPLES_DIR = join(ROOT, '.cache', 'readme-examples');
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

/** The ```ts blocks of the README's Library API section, each as a module of its own. */
function readmeExamples() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Library API'), readme.indexOf('\n## ', readme.indexOf('## Library API') + 1));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('library surface', function () {
  this.timeout(180_000);

  before(() => {
    rmSync(EXAMPLES_DIR, { recursive: true, force: true });
    mkdirSync(EXAMPLES_DIR, { recursive: true });
    readmeExamples().forEach((code, i) => writeFileSync(join(EXAMPLES_DIR, `example-${i + 1}.ts`), `${code}\nexport {};\n`));
  });

  it('the README has library examples', () => assert.ok(readmeExamples().length >= 2));

  it('the public names and types, and the README examples, compile under tsc --strict', () => {
    const r = spawnSync(bin('tsc'), ['-p', join(ROOT, 'test', 'consumer', 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('the consumer runs: every public function answers', async () => {
    const { main } = await import(pathToFileURL(join(OUT, 'test', 'consumer', 'consumer.js')).href);
    const seen = await main(join(EXAMPLES, 'host-b'), join(EXAMPLES, 'host-b', 'kvm-db01.xml'), join(scratch('consumer-'), 'vm.xml'));
    for (const prefix of ['discover 5 lab', 'queryFleet 5', 'normalize true', 'files 5', 'diff true', 'migrate ', 'transform 12 ', 'transformFleet ', 'report true true',
      'inventory errors 1 ', 'validated 0', 'validate true 5 0', 'linted true', 'lint true 12 true', 'live function 1 added true', 'write written', 'caught network']) {
      assert.ok(seen.some((line) => line.startsWith(prefix)), `${prefix}: ${seen.join('\n')}`);
    }
    assert.equal(seen.filter((l) => l.startsWith('error ') && l.endsWith(' true')).length, 10);
  });

  it('the API report matches the built declarations (npm run api updates it)', () => {
    const r = spawnSync(bin('api-extractor'), ['run', '--config', join(ROOT, 'api-extractor.json')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `the public surface changed: run npm run api and commit etc/domfleet.api.md\n${r.stdout.split('\n').filter((l) => /Warning|Error|changed/i.test(l)).join('\n')}`);
  });
});
