// Conventions of domfleet's own stylesheets that keep them failing loudly: every mode is
// declared with on-no-match and on-multiple-match="fail" (an ambiguous rule is an error, not a
// silent choice), and every error a stylesheet raises is a code declared in lib/errors.xsl,
// which the TypeScript side recognizes by its namespace.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers/run.mjs';

const SHEETS = join(ROOT, 'stylesheets');

function xslFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? xslFiles(join(dir, d.name)) : d.name.endsWith('.xsl') ? [join(dir, d.name)] : []);
}

describe('stylesheet conventions', () => {
  const files = xslFiles(SHEETS).map((path) => ({ path, name: relative(SHEETS, path), text: readFileSync(path, 'utf8').replace(/<!--[\s\S]*?-->/g, '') }));

  it('finds the stylesheets', () => assert.ok(files.length > 15));

  it('every xsl:mode declares on-no-match and on-multiple-match="fail"', () => {
    for (const f of files) {
      for (const [mode] of f.text.matchAll(/<xsl:mode\b[^>]*>/g)) {
        assert.match(mode, /on-multiple-match="fail"/, `${f.name}: ${mode}`);
        assert.match(mode, /on-no-match="[a-z-]+"/, `${f.name}: ${mode}`);
      }
    }
  });

  it('every mode a template or apply-templates names is declared', () => {
    const declared = new Set(files.flatMap((f) => [...f.text.matchAll(/<xsl:mode\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1])));
    for (const f of files) {
      for (const [, mode] of f.text.matchAll(/<xsl:(?:template|apply-templates)\b[^>]*\bmode="([^"{]+)"/g)) {
        for (const name of mode.split(/\s+/).filter((m) => !m.startsWith('#'))) assert.ok(declared.has(name), `${f.name}: mode ${name} is not declared`);
      }
      const unnamedTemplates = [...f.text.matchAll(/<xsl:template\b(?![^>]*\bmode=)(?![^>]*\bname=)[^>]*match=/g)];
      if (unnamedTemplates.length) assert.match(f.text, /<xsl:mode\b(?![^>]*\bname=)[^>]*>/, `${f.name}: templates in the unnamed mode, which is not declared`);
    }
  });

  it('every error() raises a code declared in lib/errors.xsl, and the codes TypeScript knows are declared', () => {
    const errors = files.find((f) => f.name === 'lib/errors.xsl').text;
    const declared = new Set([...errors.matchAll(/<xsl:variable name="e:([a-z-]+)" as="xs:QName" select="QName\('urn:domfleet:errors', 'err:\1'\)"\/>/g)].map((m) => m[1]));
    assert.ok(declared.size >= 2);
    for (const f of files.filter((x) => x.name !== 'lib/errors.xsl')) {
      assert.doesNotMatch(f.text, /QName\(\s*'urn:domfleet:errors'/, `${f.name}: declare the code in lib/errors.xsl`);
      for (const [, code] of f.text.matchAll(/error\(\s*\$e:([a-z-]+)/g)) assert.ok(declared.has(code), `${f.name}: e:${code}`);
    }
    const ts = readFileSync(join(ROOT, 'src', 'core', 'errors.ts'), 'utf8');
    for (const [, code] of ts.matchAll(/code === '([a-z-]+)' \?/g)) assert.ok(declared.has(code), `errors.ts names ${code}`);
  });
});
