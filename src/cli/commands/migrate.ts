// src/cli/commands/migrate.ts — parse options, call core, render, return an exit code.
import { UsageError, defineCommand } from '../command.js';
import { migrateFleet, type NormalizeFileResult } from '../../core/rewrite/rewrite-fleet.js';
import { type MigrateOptions } from '../../core/migrate/migrate.js';
import { printable } from '../printable.js';
import { REWRITE_HELP, REWRITE_OPTIONS, rewriteInputs, rewriteMode, rewriteRun, runRewrite } from '../rewrite-output.js';

const CHOICES = {
  to: ['modern', 'kvm'],
  machine: ['pc', 'q35'],
  'disk-bus': ['virtio', 'sata', 'scsi', 'ide'],
  format: ['text', 'json'],
} as const;

function choice(v: Partial<Record<keyof typeof CHOICES, string>>, name: keyof typeof CHOICES, fallback?: string): string {
  const value = (v[name] as string | undefined) ?? fallback;
  if (value === undefined) throw new UsageError(`--${name} is required (${CHOICES[name].join(' or ')})`);
  if (!(CHOICES[name] as readonly string[]).includes(value)) throw new UsageError(`--${name} must be ${CHOICES[name].join(', ')}`);
  return value;
}

export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'Rewrite old-format XML in modern form, or Xen guests as KVM guests, explaining every change',
  usage: 'domfleet migrate --to modern|kvm [options] [INPUT...]',
  optionHelp: [
    '--to modern         old (Xen-era) constructs to what current libvirt writes',
    '--to kvm            Xen PV/HVM guests to KVM guests (includes --to modern)',
    '--explain           per file, each rule that fired and the element it changed',
    '--format F          with --explain: text (default) or json',
    '--machine M         kvm: pc (default) or q35',
    '--disk-bus B        kvm: virtio (default; ide, or sata on q35, for Windows guests), sata,',
    '                    scsi or ide',
    '--nic-model M       kvm: NIC model (default virtio; e1000 for Windows guests)',
    '--emulator PATH     kvm: emulator (default /usr/bin/qemu-system-x86_64)',
    '--firmware PATH     kvm: UEFI firmware for guests that booted Xen\'s OVMF (default: libvirt',
    '                    picks the host\'s, os firmware=\'efi\')',
    '--force             also convert what cannot be converted safely (a PV guest booting a host',
    '                    kernel); with --in-place, as for every rewriting command (below)',
    ...REWRITE_HELP,
    'The result is in normalize\'s canonical form. A file that needs nothing is left untouched.',
  ],
  examples: [
    'domfleet migrate --to modern --explain old-defs/',
    'domfleet migrate --to kvm --diff xen-guests/',
    'domfleet migrate --to kvm --machine q35 --disk-bus sata -o kvm-defs/ xen-guests/',
    'domfleet migrate --to kvm --in-place web.xml',
    'domfleet migrate --to modern --check defs/',
  ],
  options: {
    ...REWRITE_OPTIONS,
    to: { type: 'string' },
    explain: { type: 'boolean' },
    format: { type: 'string' },
    machine: { type: 'string' },
    'disk-bus': { type: 'string' },
    'nic-model': { type: 'string' },
    emulator: { type: 'string' },
    firmware: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run(inputs, v, io) {
    const migration: MigrateOptions = {
      to: choice(v, 'to') as MigrateOptions['to'],
      machine: choice(v, 'machine', 'pc') as MigrateOptions['machine'],
      // Unset: chosen per guest (a Windows guest keeps emulated devices).
      diskBus: v['disk-bus'] === undefined ? undefined : choice(v, 'disk-bus') as MigrateOptions['diskBus'],
      nicModel: v['nic-model'] as string | undefined,
      emulator: v.emulator ?? '/usr/bin/qemu-system-x86_64',
      firmware: v.firmware,
      force: Boolean(v.force),
    };
    const explain = Boolean(v.explain);
    const format = choice(v, 'format', 'text');
    const mode = rewriteMode(v, true);
    // --explain alone reports, it does not print the documents.
    if (explain && mode.toStdout) mode.toStdout = false;
    const input = rewriteInputs(inputs, v, io, mode, 'migrate');
    const run = rewriteRun(io, mode, v);
    const explained: { file: string; changes: { rule: string; path: string; explanation: string }[] }[] = [];
    const report = (file: NormalizeFileResult) => {
      // Said on stderr whatever the mode: the guest will not boot until the operator acts.
      const windowsVirtio = (file.result!.changes ?? []).find((c) => c.rule === 'kvm-windows-virtio');
      if (windowsVirtio && !v.quiet) io.stderr.write(`${printable(file.path)}: warning: ${windowsVirtio.explanation}\n`);
      if (!explain) {
        // The document still goes to stdout unchanged; say why on stderr.
        if (mode.toStdout && (file.result!.changes ?? []).length === 0 && !v.quiet) io.stderr.write(`${file.path}: nothing to migrate\n`);
        return;
      }
      const changes = file.result!.changes ?? [];
      if (format === 'json') { explained.push({ file: file.path, changes }); return; }
      if (changes.length === 0) { run.out(`${file.path}: nothing to migrate\n`); return; }
      run.out(`${file.path}:\n`);
      const width = Math.max(...changes.map((c) => c.rule.length));
      const pathWidth = Math.max(...changes.map((c) => c.path.length));
      for (const c of changes) run.out(`  ${c.rule.padEnd(width)}  ${c.path.padEnd(pathWidth)}  ${c.explanation}\n`);
    };
    return runRewrite(input, mode, run, io, async (live) => {
      const summary = await migrateFleet(inputs, migration, {
        ...input, ...live, withOriginal: mode.diff, withSourceHash: mode.inPlace, removeStaleScratch: run.removesStaleScratch,
        onProgress: run.diag.progress, onNotice: run.diag.runNotice,
      }, (file) => run.onFile(file, report));
      if (explain && format === 'json') run.out(JSON.stringify(explained, null, 2) + '\n');
      return summary;
    });
  },
});

