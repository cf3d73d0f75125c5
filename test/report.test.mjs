// domfleet report, checked in a real browser (headless Chromium driven by playwright-core): row
// counts against the inputs, charts drawn, no console error, no network request, script payloads
// in descriptions shown as text, no secret written. Also JSON and CSV.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { domfleet, requireCorpus, scratch, EXAMPLES, CORPUS, ROOT } from './helpers/run.mjs';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function openReport(file, { screenshot } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    const requests = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => { if (!r.url().startsWith('file://')) requests.push(r.url()); });
    page.on('dialog', (d) => { errors.push(`dialog opened: ${d.message()}`); void d.dismiss(); });
    await page.goto(`file://${file}`);
    const facts = {
      rows: await page.locator('#domains tbody tr').count(),
      visibleRows: await page.locator('#domains tbody tr:not(.hidden)').count(),
      charts: await page.locator('figure.chart svg rect').count(),
      chartIds: await page.locator('figure.chart').evaluateAll((els) => els.map((e) => e.id)),
      totalDomains: await page.locator('#total-domains').textContent(),
      injected: await page.evaluate(() => window.__domfleetInjected === true),
    };
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    // Paging and filtering work when the script runs.
    if (facts.rows > 100) {
      await page.click('#pager button:last-child');
      facts.secondPageFirstRow = await page.locator('#domains tbody tr:not(.hidden)').first().textContent();
    }
    await page.fill('#filter', 'zzz-no-such-domain');
    facts.afterFilter = await page.locator('#domains tbody tr:not(.hidden)').count();
    return { ...facts, errors, requests };
  } finally {
    await browser.close();
  }
}

describe('report in a browser', function () {
  this.timeout(300000);
  before(function () {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (Debian chromium; .ci/run installs it)`);
  });

  it('the example fleet: one row per domain, four charts, no console error, no network request', async () => {
    const out = join(scratch(), 'inventory.html');
    const r = domfleet(['report', '-o', out, EXAMPLES]);
    assert.equal(r.code, 0, r.stderr);
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    const page = await openReport(out, { screenshot: process.env.UPDATE_SCREENSHOT ? join(ROOT, 'docs', 'report-example.png') : undefined });
    assert.equal(page.rows, 15);
    assert.equal(page.totalDomains, '15');
    assert.deepEqual(page.chartIds, ['chart-domains-per-host', 'chart-memory-per-host', 'chart-nic-types', 'chart-disk-types']);
    assert.ok(page.charts >= 15, `only ${page.charts} bars drawn`);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.requests, []);
    assert.equal(page.afterFilter, 0);
    const html = readFileSync(out, 'utf8');
    assert.doesNotMatch(html, /s3cret/, 'VNC passwords are never written');
    assert.match(html, /duplicate-mac/, 'the duplicated MAC of web01 and win2022-ad is a finding');
  });

  it('the corpus: a row for every domain file, readable and usable', async function () {
    const corpus = requireCorpus(this);
    const out = join(scratch(), 'corpus.html');
    const r = domfleet(['report', '-q', '-o', out, CORPUS]);
    assert.equal(r.code, 0, r.stderr);
    const page = await openReport(out);
    assert.equal(page.rows, corpus.length);
    assert.equal(page.visibleRows, 100, 'paged to 100 rows');
    assert.ok(page.secondPageFirstRow, 'the next page shows');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.requests, []);
  });

  it('the page is fully readable without its script: every row and chart shows', async () => {
    const out = join(scratch(), 'inventory.html');
    assert.equal(domfleet(['report', '-o', out, EXAMPLES]).code, 0);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`file://${out}`);
      assert.equal(await page.locator('#domains tbody tr:visible').count(), 15);
      assert.equal(await page.locator('figure.chart svg:visible').count(), 4);
    } finally {
      await browser.close();
    }
  });

  it('HTML and script in a <title> or <description> stay text and never run', async () => {
    const dir = scratch();
    const payload = `<script>window.__domfleetInjected = true; alert(1)</script><img src=x onerror="window.__domfleetInjected = true">`;
    const esc = payload.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    writeFileSync(join(dir, 'evil.xml'), `<domain type='kvm'><name>evil&lt;b&gt;</name><title>${esc}</title><description>${esc}</description><memory>1024</memory><devices><graphics type='vnc' passwd='hunter2'/></devices></domain>`);
    const out = join(scratch(), 'evil.html');
    assert.equal(domfleet(['report', '-o', out, dir]).code, 0);
    const page = await openReport(out);
    assert.equal(page.injected, false);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.requests, []);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /&lt;script&gt;window.__domfleetInjected/);
    assert.doesNotMatch(html, /hunter2/);
  });
});

describe('report data formats', () => {
  it('--format json has hosts and domains; --format csv one row per domain', () => {
    const json = JSON.parse(domfleet(['report', '--format', 'json', '-o', '-', EXAMPLES]).stdout);
    assert.deepEqual(json.hosts.map((h) => h.name), ['host-a', 'host-b', 'host-c']);
    assert.equal(json.domains.length, 15);
    const web01 = json.domains.find((d) => d.name === 'web01');
    assert.equal(web01.memoryKib, 4194304);
    assert.equal(web01.host, 'host-b');
    const rows = parseCsv(domfleet(['report', '--format', 'csv', '-o', '-', EXAMPLES]).stdout, { columns: true });
    assert.equal(rows.length, 15);
    assert.equal(rows.find((r) => r.name === 'db01').memory_kib, '16777216');
  });

  it('needs -o; bad files are reported and the report still written (exit 2)', () => {
    assert.equal(domfleet(['report', EXAMPLES]).code, 2);
    const dir = scratch();
    copyFileSync(join(EXAMPLES, 'host-c', 'kvm-minimal.xml'), join(dir, 'ok.xml'));
    writeFileSync(join(dir, 'broken.xml'), '<domain><name>x</name>');
    const out = join(scratch(), 'r.html');
    const r = domfleet(['report', '-o', out, dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.xml:\d+: /);
    assert.ok(existsSync(out));
  });
});
