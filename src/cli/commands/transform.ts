// src/cli/commands/transform.ts — parse options, call core, render, return an exit code.
import { ExitCode, UsageError, keyValues, defineCommand } from '../command.js';
import { transformFleetWith } from '../../core/rewrite/rewrite-fleet.js';
import { builtinTransforms, transformRun } from '../../core/transform/transform.js';
import { REWRITE_HELP, REWRITE_OPTIONS, rewriteInputs, rewriteMode, rewriteRun, runRewrite } from '../rewrite-output.js';

export const transformCommand = defineCommand({
  name: 'transform',
  summary: 'Apply a built-in transform or any XSLT 1.0–3.0 stylesheet to domain XML',
  usage: 'domfleet transform NAME|FILE.xsl [options] [INPUT...]',
  optionHelp: [
    '-p, --param NAME=VALUE  stylesheet parameter (repeatable); see domfleet transforms',
    '--no-normalize      write the stylesheet\'s output as it is, not in libvirt\'s normal form',
    '-v, --verbose       say whether a user stylesheet was compiled or taken from the cache',
    ...REWRITE_HELP,
    'A transform that changes nothing in a file leaves it untouched. User stylesheets are compiled',
    'on first use and cached by content hash under $XDG_CACHE_HOME/domfleet/xslt.',
  ],
  examples: [
    'domfleet transform nic-model -p model=virtio --in-place defs/',
    'domfleet transform disk-bus -p from=ide -p to=virtio --diff defs/',
    'domfleet transform add-channel -p kind=guest-agent --check defs/',
    'domfleet transform my-fix.xsl -p bridge=br1 -o fixed/ defs/',
  ],
  options: {
    ...REWRITE_OPTIONS,
    param: { type: 'string', multiple: true, short: 'p' },
    'no-normalize': { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(positionals, v, io) {
    const [which, ...inputs] = positionals;
    if (!which) throw new UsageError('transform needs a built-in name or a stylesheet file (see domfleet transforms)');
    const { info, ...run } = transformRun(which, keyValues(v.param, '--param'), Boolean(v['no-normalize']));
    if (info.notice && !v.quiet) io.stderr.write(`domfleet: ${info.notice}\n`);
    if (v.verbose && !info.builtin) io.stderr.write(`${which}: ${info.compiled ? 'compiled' : 'compiled stylesheet taken from the cache'} (${info.sefPath})\n`);

    const mode = rewriteMode(v);
    const input = rewriteInputs(inputs, v, io, mode, 'transform');
    const out = rewriteRun(io, mode, v);
    return runRewrite(input, mode, out, io, (live) => transformFleetWith(inputs, run, {
      ...input, ...live, withOriginal: mode.diff, withSourceHash: mode.inPlace, removeStaleScratch: out.removesStaleScratch,
      onProgress: out.diag.progress, onNotice: out.diag.runNotice,
    }, (file) => out.onFile(file)));
  },
});

export const transformsCommand = defineCommand({
  name: 'transforms',
  summary: 'List the built-in transforms with their parameters',
  usage: 'domfleet transforms',
  optionHelp: [],
  examples: ['domfleet transforms'],
  options: {},
  async run(_positionals, _v, io) {
    for (const t of builtinTransforms()) {
      io.stdout.write(`${t.name} — ${t.summary}\n`);
      for (const p of t.params) {
        const choices = p.values ? ` (${p.values.map((x) => x || "''").join(' | ')})` : '';
        io.stdout.write(`    ${p.name}${p.required ? '' : ' (optional)'}: ${p.doc ?? p.type}${choices}\n`);
      }
      if (t.example) io.stdout.write(`    e.g. ${t.example}\n`);
    }
    return ExitCode.Ok;
  },
});
