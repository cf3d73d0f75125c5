// The package as users install it: `npm pack`, then the tarball installed with --omit=dev into an
// empty folder, and every command run once from there. Catches a run-time module left among the
// devDependencies, a file missing from "files", a build output not packed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { EXAMPLES, ROOT, scratch } from './helpers/run.mjs';

describe('the packed package, installed without dev dependencies', function () {
  this.timeout(300_000);
  let bin;
  let home;

  before(function () {
    const packDir = scratch('pack-');
    const pack = spawnSync('npm', ['pack', '--pack-destination', packDir, '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz')));
    home = scratch('installed-');
    writeFileSync(join(home, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n');
    const install = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: home, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    const installed = readdirSync(join(home, 'node_modules'));
    for (const devOnly of ['typescript', 'mocha', 'playwright-core']) assert.ok(!installed.includes(devOnly), `${devOnly} is not installed`);
    bin = join(home, 'node_modules', '.bin', 'domfleet');
  });

  const run = (args, input) => {
    const r = spawnSync(bin, args, { cwd: home, input, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: scratch('cache-') } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('every command runs', () => {
    const vm = join(EXAMPLES, 'host-b', 'kvm-db01.xml');
    const out = scratch('out-');
    const xsl = join(scratch('xsl-'), 'describe.xsl');
    writeFileSync(xsl, `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>
  <xsl:template match="/domain/name"><xsl:copy-of select="."/><description>managed</description></xsl:template>
</xsl:stylesheet>`);
    const cases = [
      [['--version'], 0],
      [['queries'], 0],
      [['query', 'bridged-nics', EXAMPLES], 0],
      [['query', '--engine', 'saxon', 'string-join(//mac/@address, " ")', EXAMPLES], 0],
      [['normalize', vm], 0],
      [['normalize', '--check', EXAMPLES], 1],
      [['diff', vm, join(EXAMPLES, 'host-b', 'kvm-web01.xml')], 1],
      [['migrate', '--to', 'modern', '--explain', join(EXAMPLES, 'host-a')], 0],
      [['migrate', '--to', 'kvm', '--diff', join(EXAMPLES, 'host-a', 'xen-hvm-win.xml')], 0],
      [['transforms'], 0],
      [['transform', 'add-tablet', '--diff', vm], 0],
      [['transform', xsl, '-o', out, vm], 0],
      [['report', '-o', join(out, 'inventory.html'), EXAMPLES], 0],
      [['validate', '--format', 'sarif', EXAMPLES], 1],
      [['lint', '--format', 'sarif', '--enable', 'schema', EXAMPLES], 1],
      [['query', '--connect', 'test:///default', '/domain/name'], 0],
      [['fetch', '--connect', 'test:///default', '-o', join(out, 'fetched')], 0],
    ];
    for (const [args, code] of cases) {
      const r = run(args);
      assert.equal(r.code, code, `domfleet ${args.join(' ')}\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /Cannot find module|ERR_MODULE_NOT_FOUND|internal error/, args.join(' '));
    }
    // The rule pages SARIF and the report link to are in the installed package.
    for (const rule of JSON.parse(run(['lint', '--format', 'sarif', EXAMPLES]).stdout).runs[0].tool.driver.rules) {
      assert.ok(existsSync(new URL(rule.helpUri)), rule.helpUri);
      assert.ok(!rule.helpUri.startsWith(pathToFileURL(ROOT).href), `${rule.helpUri} is the installed copy, not the checkout's`);
    }
  });
});
