// src/cli/commands/lint.ts — parse options, call core, render, return an exit code.
import { ExitCode, INPUT_HELP, INPUT_OPTIONS, UsageError, inputSettings, defineCommand } from '../command.js';
import { lintFleet, type LintResult } from '../../core/lint/lint.js';
import { lintRules, ruleDocUrl, SEVERITIES, type Severity } from '../../core/lint/rules.js';
import { CONFIG_FILE } from '../../core/lint/config.js';
import { diagnostics } from '../diagnostics.js';
import { printable } from '../printable.js';
import { sarifLog } from '../render/sarif.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = typeof FORMATS[number];

/** Rule ids from repeatable, comma-separated options. */
const idList = (values: string[] | undefined) => values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

export const lintCommand = defineCommand({
  name: 'lint',
  summary: 'Check a fleet for duplicate MACs, UUIDs and names, unsafely shared disks, open VNC consoles and more',
  usage: 'domfleet lint [options] [INPUT...]',
  optionHelp: [
    '--format F          text (default: FILE:LINE: severity: message [rule]), json, or sarif (SARIF 2.1.0)',
    '--only IDS          run only these rules (comma-separated; repeatable)',
    '--disable IDS       do not run these rules',
    '--enable IDS        run rules that are off by default (schema: libvirt\'s RELAX NG schema)',
    '--fail-on LEVEL     error, warning (default) or note: the lowest severity that exits 1',
    '--bridges LIST      the bridges the hosts have (br0,br1): enables unknown-bridge',
    '--shared-storage DIRS  folders every host mounts (NFS …): disk images there are compared',
    '                    across hosts by shared-disk-without-shareable (comma-separated)',
    '--schema-dir DIR    libvirt schema folder for the schema rule (default /usr/share/libvirt/schemas)',
    `--config FILE       lint policy to use (default: the nearest ${CONFIG_FILE} at or above the inputs)`,
    '--no-config         ignore policy files',
    '--list-rules        list the rules, their severities and documentation, and exit',
    ...INPUT_HELP,
    'Exit 0: no finding at or above --fail-on; 1: some; 2: a file could not be read or a usage error.',
  ],
  examples: [
    'domfleet lint /etc/libvirt/qemu',
    'domfleet lint --bridges br0,br-storage --fail-on error hosts/',
    'domfleet lint --format sarif --enable schema defs/ > domfleet.sarif',
  ],
  options: {
    format: { type: 'string', default: 'text' },
    only: { type: 'string', multiple: true },
    disable: { type: 'string', multiple: true },
    enable: { type: 'string', multiple: true },
    'fail-on': { type: 'string' },
    bridges: { type: 'string' },
    'shared-storage': { type: 'string' },
    'schema-dir': { type: 'string' },
    config: { type: 'string' },
    'no-config': { type: 'boolean' },
    'list-rules': { type: 'boolean' },
    ...INPUT_OPTIONS,
  },
  async run(inputs, v, io) {
    const format = v.format as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    if (v['fail-on'] !== undefined && !SEVERITIES.includes(v['fail-on'] as Severity)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
    if (v.config !== undefined && v['no-config']) throw new UsageError('--config and --no-config contradict each other');
    if (v['list-rules']) {
      for (const r of lintRules()) {
        io.stdout.write(`${r.id}\t${r.severity}\t${r.enabledByDefault ? (r.needs ? `needs --${r.needs}` : 'on') : 'off'}\t${r.summary}\t${ruleDocUrl(r.id)}\n`);
      }
      return ExitCode.Ok;
    }
    const input = inputSettings(inputs, v, io, 'lint', { checksDefinitions: true });
    const diag = diagnostics(io, v);
    const result = await lintFleet(inputs, {
      ...input,
      only: idList(v.only),
      disable: idList(v.disable),
      enable: idList(v.enable),
      failOn: v['fail-on'] as Severity | undefined,
      bridges: v.bridges === undefined ? undefined : v.bridges.split(','),
      sharedStorage: v['shared-storage'] === undefined ? undefined : v['shared-storage'].split(',').map((p) => p.trim()).filter(Boolean),
      schemaDir: v['schema-dir'],
      config: v['no-config'] ? false : v.config,
      onProgress: diag.progress,
      onNotice: diag.runNotice,
    }, (outcome) => { diag.check(outcome); });
    diag.finish();
    for (const e of result.inputErrors) diag.inputError(e.path, e.reason);
    if (format === 'text') {
      for (const f of result.findings) {
        io.stdout.write(`${printable(f.file)}:${f.line ?? ''}: ${f.severity}: ${printable(f.message)} [${f.rule}]\n`);
      }
      if (!v.quiet) io.stderr.write(summaryLine(result));
    }
    if (format === 'json') io.stdout.write(JSON.stringify(result, null, 2) + '\n');
    if (format === 'sarif') {
      const rules = lintRules().filter((r) => result.rules.some((a) => a.id === r.id));
      const active = new Map(result.rules.map((r) => [r.id, r.severity]));
      io.stdout.write(JSON.stringify(sarifLog(rules.map((r) => ({ id: r.id, summary: r.summary, severity: active.get(r.id)! })), result.findings), null, 2) + '\n');
    }
    return diag.failed ? ExitCode.Error : result.failed ? ExitCode.NoMatch : ExitCode.Ok;
  },
});

function summaryLine(result: LintResult): string {
  const count = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  const parts = SEVERITIES.map((s) => `${count(s)} ${s}${count(s) === 1 ? '' : 's'}`);
  const files = new Set(result.findings.map((f) => f.file)).size;
  const skipped = result.skipped.map((s) => `; ${s.id} not run: ${s.reason}`).join('');
  const policy = result.config ? `; policy ${printable(result.config)}` : '';
  return `${result.findings.length} finding(s) (${parts.join(', ')}) in ${files} of ${result.files} file(s); failing on ${result.failOn} and above${policy}${skipped}\n`;
}
