// One error path: usage is decided before any file is read, bad input is a per-file line, and
// a bug in domfleet looks like one ("internal error", exit 2, the stack only with --debug).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, EXAMPLES, ROOT, scratch } from './helpers/run.mjs';

function df(args, { env = {}, preload } = {}) {
  // Node itself runs with --import to inject a fault; bin/domfleet is the script it runs.
  const argv = preload ? ['--import', join(ROOT, 'test', 'fixtures', 'faults', preload), BIN, ...args] : [BIN, ...args];
  const r = spawnSync(process.execPath, argv, {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL',
    env: { ...process.env, XDG_CACHE_HOME: scratch('cache-'), ...env },
  });
  assert.equal(r.signal, null);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const STACK = /^\s+at .*:\d+:\d+\)?$/m;

describe('one error path', function () {
  this.timeout(180_000);

  it('normalize over a folder of 200+ files without an output mode: a usage error before any file is read', () => {
    const dir = scratch('many-');
    const files = ['host-a', 'host-b', 'host-c'].flatMap((h) => readdirSync(join(EXAMPLES, h)).map((f) => join(EXAMPLES, h, f)));
    for (let i = 0; i < 210; i++) copyFileSync(files[i % files.length], join(dir, `vm${i}.xml`));
    for (const args of [['normalize', dir], ['migrate', '--to', 'modern', dir], ['transform', 'add-tablet', dir], ['normalize', join(EXAMPLES, 'host-a'), join(EXAMPLES, 'host-b', 'kvm-db01.xml')]]) {
      const r = df(args);
      assert.equal(r.code, 2, `${args.join(' ')}\n${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^domfleet: several inputs: use --in-place, --check, --diff or -o DIR/);
      assert.doesNotMatch(r.stderr, STACK);
    }
  });

  it('a bug inside a per-file job is an internal error, exit 2, with the stack only under --debug', () => {
    const r = df(['query', '-j', '0', '/domain/name', join(EXAMPLES, 'host-b')], { preload: 'eval-throws.mjs' });
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 5, r.stderr);
    for (const line of lines) assert.match(line, /\.xml: internal error: injected fault in a job$/);
    const debug = df(['query', '--debug', '-j', '0', '/domain/name', join(EXAMPLES, 'host-b', 'kvm-db01.xml')], { preload: 'eval-throws.mjs' });
    assert.equal(debug.code, 2);
    assert.match(debug.stderr, /internal error: injected fault in a job\nTypeError: injected fault in a job\n\s+at /);
  });

  it('a bug outside the per-file work is one internal-error line, exit 2, the stack under --debug', () => {
    const r = df(['query', '/domain/name', join(EXAMPLES, 'host-b')], { preload: 'compile-throws.mjs' });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'domfleet: internal error: injected fault outside a job\nThis is a bug in domfleet; --debug shows where it happened.\n');
    const debug = df(['query', '--debug', '/domain/name', join(EXAMPLES, 'host-b')], { preload: 'compile-throws.mjs' });
    assert.match(debug.stderr, /^domfleet: internal error: injected fault outside a job\nTypeError: injected fault outside a job\n\s+at /);
  });

  it('bad input and usage errors are not internal errors', () => {
    const missing = df(['diff', join(EXAMPLES, 'host-b', 'kvm-db01.xml'), '/nonexistent/vm.xml']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, '/nonexistent/vm.xml: cannot read: no such file\n');
    const usage = df(['query']);
    assert.equal(usage.code, 2);
    assert.doesNotMatch(usage.stderr, /internal error/);
    const badParam = df(['transform', 'set-vcpus', '-p', 'count=lots', join(EXAMPLES, 'host-b')]);
    assert.equal(badParam.code, 2);
    assert.match(badParam.stderr, /^domfleet: set-vcpus: --param count=lots .*\nTry 'domfleet transform --help'\.\n$/);
  });
});
