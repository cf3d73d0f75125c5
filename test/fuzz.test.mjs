// Fuzzing with the shared corpus: real domain files mutated (byte flips, truncation, entity and
// encoding tricks, NUL bytes, wrong roots) and run through query, normalize and report. Every run
// must end with exit 0, 1 or 2, never a stack trace, and at most one error line per file; a run
// reports exit 2 exactly when it printed an error. Time-bounded; the seed is fixed, so a failure
// reproduces (DOMFLEET_FUZZ_SEED and DOMFLEET_FUZZ_SECONDS change them).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, requireCorpus, scratch } from './helpers/run.mjs';
import { prng as random } from '../bench/generate.mjs';

const SECONDS = Number(process.env.DOMFLEET_FUZZ_SECONDS ?? 60);
const SEED = Number(process.env.DOMFLEET_FUZZ_SEED ?? 20261201);
const FILES_PER_ROUND = 60;

const MUTATIONS = {
  flipBytes(bytes, rnd) {
    const out = Buffer.from(bytes);
    const n = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < n; i++) out[Math.floor(rnd() * out.length)] = Math.floor(rnd() * 256);
    return out;
  },
  truncate: (bytes, rnd) => bytes.subarray(0, Math.floor(rnd() * bytes.length)),
  nulByte(bytes, rnd) {
    const at = Math.floor(rnd() * bytes.length);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]);
  },
  externalEntity: (bytes) => Buffer.from(`<!DOCTYPE domain [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y SYSTEM "http://192.0.2.1/x">]>\n${bytes.toString('utf8').replace(/<name>/, '<name>&x;&y;')}`),
  entityBomb: (bytes) => Buffer.from(`<!DOCTYPE domain [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>\n${bytes.toString('utf8').replace(/<\/name>/, '&h;</name>')}`),
  parameterEntity: (bytes) => Buffer.from(`<!DOCTYPE domain [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n${bytes.toString('utf8')}`),
  declaredLatin1: (bytes) => Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n${bytes.toString('utf8').replace(/^<\?xml[^>]*>\s*/, '').replace(/<name>/, '<name>é')}`),
  declaredUtf16: (bytes) => Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-16"?>\n'), bytes]),
  unknownEncoding: (bytes) => Buffer.from(`<?xml version="1.0" encoding="X-NOPE-9"?>\n${bytes.toString('utf8').replace(/^<\?xml[^>]*>\s*/, '')}`),
  utf16Bytes: (bytes) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]),
  wrongRoot: (bytes) => Buffer.from(bytes.toString('utf8').replace(/<domain\b/, '<network').replace(/<\/domain>/, '</network>')),
  empty: () => Buffer.alloc(0),
  whitespace: () => Buffer.from('  \n\t\n'),
  binary: (_bytes, rnd) => Buffer.from(Array.from({ length: 512 }, () => Math.floor(rnd() * 256))),
  duplicateAttribute: (bytes) => Buffer.from(bytes.toString('utf8').replace(/<domain /, "<domain type='kvm' ")),
  unclosedComment: (bytes) => Buffer.from(bytes.toString('utf8').replace(/<\/name>/, '</name><!-- never closed')),
  controlChars: (bytes) => Buffer.from(bytes.toString('utf8').replace(/<name>/, '<name>\u001b[2J\u0007')),
  hugeLine: (bytes) => Buffer.from(bytes.toString('utf8').replace(/<\/name>/, `</name><description>${'x'.repeat(300000)}</description>`)),
  deepNesting: (bytes) => Buffer.from(bytes.toString('utf8').replace(/<\/name>/, `</name><metadata>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</metadata>`)),
  unchanged: (bytes) => bytes,
};

const NAMES = Object.keys(MUTATIONS);

function makeRound(corpus, dir, rnd) {
  const made = [];
  for (let i = 0; i < FILES_PER_ROUND; i++) {
    const source = corpus[Math.floor(rnd() * corpus.length)];
    const mutation = NAMES[Math.floor(rnd() * NAMES.length)];
    const bytes = MUTATIONS[mutation](readFileSync(source.path), rnd);
    const name = `f${String(i).padStart(3, '0')}-${mutation}.xml`;
    writeFileSync(join(dir, name), bytes);
    made.push(name);
  }
  return made;
}

const COMMANDS = [
  ['query', '--no-prefilter', '-q', 'nics'],
  ['query', '--no-prefilter', '--engine', 'saxon', 'string-join(//@*, ",")'],
  ['normalize', '--check', '-j', '2'],
  ['report', '--format', 'json', '-o', '-'],
];

describe('fuzz: mutated corpus files through query, normalize and report', function () {
  this.timeout((SECONDS + 240) * 1000);
  let corpus;
  before(function () { corpus = requireCorpus(this); });

  it(`every run ends with exit 0/1/2, one line per bad file, never a stack trace (${SECONDS} s)`, function () {
    const rnd = random(SEED);
    const deadline = Date.now() + SECONDS * 1000;
    let rounds = 0;
    let files = 0;
    let runs = 0;
    let errorLines = 0;
    while (Date.now() < deadline) {
      const dir = scratch('fuzz-');
      const made = makeRound(corpus, dir, rnd);
      rounds++;
      files += made.length;
      for (const args of COMMANDS) {
        const r = spawnSync(BIN, [...args, dir], {
          encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024,
          env: { ...process.env, XDG_CACHE_HOME: scratch('cache-') },
        });
        runs++;
        const what = `seed ${SEED}, round ${rounds}: domfleet ${args.join(' ')} ${dir}`;
        assert.equal(r.signal, null, `${what}: hung or crashed\n${r.stderr}`);
        assert.ok([0, 1, 2].includes(r.status), `${what}: exit ${r.status}\n${r.stderr}`);
        assert.doesNotMatch(r.stderr, /^\s+at |internal error|TypeError|RangeError|ReferenceError/m, `${what}: stack trace\n${r.stderr}`);
        const lines = r.stderr.split('\n').filter(Boolean).filter((l) => !/^skipped \d+ non-domain files under /.test(l));
        const errorsPerFile = new Map();
        for (const line of lines) {
          const file = made.find((m) => line.startsWith(join(dir, m) + ':'));
          assert.ok(file, `${what}: every line names a file\n${line}`);
          if (/^[^:]+(:\d+)?: (warning|skipped): /.test(line.slice(dir.length + 1))) continue;
          errorsPerFile.set(file, (errorsPerFile.get(file) ?? 0) + 1);
        }
        for (const [file, count] of errorsPerFile) assert.equal(count, 1, `${what}: ${file} got ${count} error lines\n${r.stderr}`);
        errorLines += errorsPerFile.size;
        assert.equal(r.status === 2, errorsPerFile.size > 0, `${what}: exit 2 exactly when a file failed\n${r.stderr}`);
      }
    }
    this.test.title += ` — ${rounds} rounds, ${files} mutated files, ${runs} runs, ${errorLines} error lines`;
  });
});
