// What normalize, migrate and transform share on the command line: stdout for one document,
// --in-place, --check, --diff, -o DIR, the safety rules of writing in place, and the exit code
// that follows.
import { closeSync, existsSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import type { LiveFleet } from '../core/live/live-fleet.js';
import { join, sep } from 'node:path';
import { resolveReal } from '../core/read/inventory.js';
import { ExitCode, INPUT_HELP, INPUT_OPTIONS, UsageError, inputSettings, type InputSettings, type Io, type OptionValues } from './command.js';
import { unifiedPatch, type FileVerdict, type NormalizeFileResult } from '../core/rewrite/rewrite-fleet.js';
import { NotWrittenError, replaceFile, writeAtomic } from '../core/write/write.js';
import { diagnostics, type Diagnostics } from './diagnostics.js';
import { bufferedOut, type BufferedOut } from './render/buffered.js';
import { printable } from './printable.js';

export const REWRITE_OPTIONS = {
  'in-place': { type: 'boolean' },
  check: { type: 'boolean' },
  diff: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  'follow-symlinks': { type: 'boolean' },
  force: { type: 'boolean' },
  apply: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'edit-libvirtd-files': { type: 'boolean' },
  ...INPUT_OPTIONS,
} as const;

export const REWRITE_HELP = [
  '--in-place          rewrite files that change, atomically (mode, owner and group kept; a',
  '                    symlink stays a link and its target is rewritten)',
  '--check             list files that would change; exit 1 if any would',
  '--diff              print a unified diff for each file that would change',
  '-o, --output DIR    write every result into DIR, mirroring the input tree',
  '--follow-symlinks   with --in-place: also rewrite link targets outside the inputs',
  '--force             with --in-place: rewrite files whose declared encoding or entities',
  '                    make them read differently from what their author meant, or files',
  '                    libvirtd owns (its AUTO-GENERATED header: change those with --apply)',
  '--edit-libvirtd-files  with --in-place: rewrite files libvirtd owns anyway (what --force',
  '                    does for normalize and transform; migrate\'s --force means something else)',
  '--apply             with --connect/--hosts: define each changed domain back through libvirt',
  '                    (virsh define), after showing the diffs; asks first on a terminal',
  '-y, --yes           with --apply: do not ask (needed when stdin is not a terminal)',
  ...INPUT_HELP,
];

export interface RewriteMode {
  inPlace: boolean;
  check: boolean;
  diff: boolean;
  outDir?: string;
  toStdout: boolean;
  followSymlinks: boolean;
  force: boolean;
  /** Rewrite files that libvirtd owns anyway. */
  editOwned: boolean;
  /** Define changed live domains back through libvirt. */
  apply: boolean;
  yes: boolean;
}

type RewriteValues = OptionValues<typeof REWRITE_OPTIONS>;

/**
 * The output mode the options ask for. `forceHasOtherUse`: the command gives --force a meaning
 * of its own besides --in-place (migrate: convert what is unsafe), so it is not an error alone.
 */
export function rewriteMode(v: RewriteValues, forceHasOtherUse = false): RewriteMode {
  const mode: RewriteMode = {
    inPlace: Boolean(v['in-place']), check: Boolean(v.check), diff: Boolean(v.diff),
    outDir: v.output, toStdout: false,
    followSymlinks: Boolean(v['follow-symlinks']), force: Boolean(v.force),
    apply: Boolean(v.apply), yes: Boolean(v.yes),
    // migrate's --force converts what is unsafe; it must not also silently override this.
    editOwned: Boolean(v['edit-libvirtd-files']) || (Boolean(v.force) && !forceHasOtherUse),
  };
  if (v['edit-libvirtd-files'] && !mode.inPlace) throw new UsageError('--edit-libvirtd-files goes with --in-place');
  if (mode.apply && (mode.inPlace || mode.outDir || mode.check)) throw new UsageError(`--apply defines changes through libvirt; it contradicts ${mode.inPlace ? '--in-place' : mode.outDir ? '-o' : '--check'}`);
  if (mode.yes && !mode.apply) throw new UsageError('--yes goes with --apply');
  // The dry run that comes before applying is the diff.
  if (mode.apply) mode.diff = true;
  if (mode.inPlace && mode.outDir) throw new UsageError('--in-place and -o write to different places: choose one');
  if (mode.check && (mode.inPlace || mode.outDir)) throw new UsageError(`--check only reports; it contradicts ${mode.inPlace ? '--in-place' : '-o'}`);
  if (mode.followSymlinks && !mode.inPlace) throw new UsageError('--follow-symlinks goes with --in-place');
  // Said rather than ignored: someone typing --force expects it to do something.
  if (mode.force && !mode.inPlace && !forceHasOtherUse) throw new UsageError('--force goes with --in-place (it lets suspect files be rewritten)');
  mode.toStdout = !mode.inPlace && !mode.check && !mode.diff && !mode.outDir;
  return mode;
}

function isPlainFile(input: string): boolean {
  try {
    return !statSync(input).isDirectory();
  } catch {
    // A missing file is reported as such by the run; a glob may name many.
    return !/[*?[\]{}]/.test(input);
  }
}

/** The inputs of a rewriting command: stdin can be read, but not rewritten in place or mirrored. */
export function rewriteInputs(inputs: string[], v: RewriteValues, io: Io, mode: RewriteMode, what: string): InputSettings {
  // Decided before any file is read: results go to stdout only for one document.
  if (mode.toStdout && (inputs.length > 1 || (inputs.length === 1 && !isPlainFile(inputs[0])))) {
    throw new UsageError('several inputs: use --in-place, --check, --diff or -o DIR (stdout takes one file)');
  }
  if (mode.outDir) {
    // Results written into the inputs would be a rewrite in place without its safeguards (links
    // replaced by copies, hard links split, no lock), and would be read back as inputs next time.
    const out = resolveReal(mode.outDir);
    for (const input of inputs) {
      let folder: string;
      try {
        if (!statSync(input).isDirectory()) continue;
        folder = realpathSync(input);
      } catch {
        continue;
      }
      if (out === folder || out.startsWith(folder + sep)) throw new UsageError(`-o ${mode.outDir} is inside the input ${input}: write elsewhere, or use --in-place`);
    }
  }
  const live = Boolean(v.connect?.length || v.hosts !== undefined);
  if (mode.apply && !live) throw new UsageError('--apply defines changes through libvirt: give the hosts with --connect URI or --hosts FILE');
  if (live && mode.inPlace) throw new UsageError('domains on live hosts are changed through libvirt: use --apply (after a dry run with --diff), not --in-place');
  if (live && mode.toStdout) throw new UsageError('with --connect, use --check, --diff, -o DIR or --apply (stdout takes one document)');
  if (mode.apply && !mode.yes && !io.stdinIsTTY) throw new UsageError('--apply asks before defining anything; without a terminal to ask on, add --yes');
  if (mode.apply && inputs.length) throw new UsageError(`--apply changes live domains only; ${inputs[0]} is a file input (use --in-place or -o for files)`);
  const settings = inputSettings(inputs, v, io, what);
  // What is defined back replaces the definition: so it is the definition that is read (not the
  // running state, which would make hot-plugged devices permanent and lose pending changes),
  // with its secrets (or they would be dropped), of persistent domains (define would make a
  // transient one persistent).
  if (mode.apply) settings.live = { ...settings.live, inactive: true, securityInfo: true, persistentOnly: true };
  if (settings.stdinDocument && (mode.inPlace || mode.outDir)) {
    throw new UsageError(`a document on stdin cannot be written ${mode.inPlace ? 'in place' : 'into -o DIR'}: give INPUT files`);
  }
  return settings;
}

/**
 * Runs a rewrite over the inputs and reports it. With --apply the live hosts are read once and
 * stay connected, so each change is defined back through the connection it was read from.
 */
export async function runRewrite(settings: InputSettings, mode: RewriteMode, run: RewriteRun, io: Io,
  body: (live: { liveFleet?: LiveFleet }) => Promise<{ inputErrors: { path: string; reason: string }[] }>): Promise<ExitCode> {
  let fleet: LiveFleet | undefined;
  if (mode.apply) {
    const live = await import('../core/live/live-fleet.js');
    fleet = await live.LiveFleet.open(live.parseConnections(settings.connect, settings.hostsFile), { ...settings.live, onNotice: run.diag.runNotice });
  }
  try {
    const summary = await body(fleet ? { liveFleet: fleet } : {});
    if (fleet) await run.apply(fleet, io);
    return run.finish(summary.inputErrors);
  } finally {
    fleet?.close();
  }
}

/**
 * libvirtd's own copies (/etc/libvirt/qemu/NAME.xml) open with a comment saying they are
 * generated and must be changed with virsh edit; the daemon keeps its own state of them.
 */
export function ownedByLibvirtd(path: string): boolean {
  let head: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(512);
      head = buffer.toString('utf8', 0, readSync(fd, buffer, 0, 512, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  return /^\s*(<\?xml[^>]*>\s*)?<!--\s*WARNING: THIS IS AN AUTO-GENERATED FILE\./.test(head) && /virsh edit/.test(head);
}

/** One changed domain of a live host, to define back. */
interface PendingDefinition { path: string; label: string; uuid: string; text: string; readAs: string }

/** Passwords in a printed diff: --apply reads definitions with their secrets, and a diff is shown. */
export function hideSecrets(text: string): string {
  return text.replace(/(\spasswd=)(['"])[^'"]*\2/g, '$1$2(hidden)$2');
}

export interface RewriteRun {
  diag: Diagnostics;
  out: BufferedOut;
  /** Handles one file's result; `extra` prints anything command-specific first. */
  onFile(file: NormalizeFileResult, extra?: (file: NormalizeFileResult) => void): FileVerdict;
  /** Whether temporary and lock files of killed runs may be removed from the input folders. */
  readonly removesStaleScratch: boolean;
  /** With --apply: after the dry run, asks (or takes --yes), defines every changed domain, says what happened. */
  apply(fleet: LiveFleet, io: Io): Promise<void>;
  /** Reports input errors, flushes, returns the exit code. */
  finish(inputErrors: { path: string; reason: string }[]): ExitCode;
}

export function rewriteRun(io: Io, mode: RewriteMode, v: RewriteValues): RewriteRun {
  const diag = diagnostics(io, v);
  const out = bufferedOut(io.stdout);
  let wouldChange = 0;
  let leftAlone = 0;
  const pending: PendingDefinition[] = [];
  /** --apply ended without defining what would change (answered no): as --check, exit 1. */
  let declined = false;
  /** --apply: definitions libvirt stored otherwise than sent (it dropped or changed something): exit 1. */
  let storedOtherwise = 0;
  /** -o DIR: which input each output file came from, so two inputs never write one file. */
  const written = new Map<string, string>();
  if (mode.outDir && !existsSync(mode.outDir)) {
    // -o DIR creates DIR's own tree, but its parent must exist: a mistyped path is not created.
    const parent = join(mode.outDir, '..');
    if (!existsSync(parent)) throw new UsageError(`-o ${mode.outDir}: its parent folder does not exist`);
  }
  /** Writes in place; returns 'retry' when the file changed since it was read. */
  const writeInPlace = (file: NormalizeFileResult): FileVerdict => {
    const r = file.result!;
    const notWritten = (reason: string) => { leftAlone++; diag.notice(file.path, `not rewritten: ${reason}`); };
    if (file.link && !file.link.insideInputs && !mode.followSymlinks) {
      notWritten(`symbolic link to ${printable(file.link.target)}, outside the inputs (--follow-symlinks to rewrite it)`);
      return;
    }
    if (r.suspect && !mode.force) {
      notWritten('it reads differently from what its author meant (see the warning above); --force to rewrite it anyway');
      return;
    }
    if (!mode.editOwned && ownedByLibvirtd(file.path)) {
      notWritten("libvirtd owns this file (its header says AUTO-GENERATED … use virsh edit): a change made here is lost or confuses the daemon. Change the domain through libvirt: domfleet … --connect qemu:///system --apply (--edit-libvirtd-files to rewrite the file anyway)");
      return;
    }
    try {
      const outcome = replaceFile(file.path, r.normalized, { expectedHash: r.sourceHash });
      if (outcome === 'changed') return 'retry';
      if (outcome === 'vanished') diag.notice(file.path, 'removed during the run: not written');
    } catch (e) {
      if (e instanceof NotWrittenError) notWritten(e.reason);
      else diag.inputError(file.path, `cannot write: ${(e as Error).message}`);
    }
  };
  const writeMirrored = (file: NormalizeFileResult, text: string) => {
    const target = join(mode.outDir!, file.relative);
    const key = resolveReal(target);
    const earlier = written.get(key);
    if (earlier !== undefined) {
      diag.inputError(file.path, `not written: ${printable(earlier)} already wrote ${printable(target)} (two inputs with one name: give their folder instead)`);
      return;
    }
    written.set(key, file.path);
    if (!file.data && key === resolveReal(file.path)) {
      diag.inputError(file.path, `not written: -o would write over this input (use --in-place to rewrite in place)`);
      return;
    }
    try {
      writeAtomic(target, text, { like: file.data ? undefined : file.path, createFolders: true });
    } catch (e) {
      diag.inputError(file.path, `cannot write: ${(e as Error).message}`);
    }
  };
  return {
    diag,
    out,
    removesStaleScratch: mode.inPlace,
    onFile(file, extra) {
      if (!diag.check(file)) return;
      const r = file.result!;
      // Written first: a file that changed on disk since it was read is redone, and only the
      // redone result is reported.
      if (mode.inPlace && r.changed && writeInPlace(file) === 'retry') return 'retry';
      extra?.(file);
      if (mode.toStdout) { out(r.normalized); return; }
      if (r.changed) wouldChange++;
      if (mode.diff && r.changed) {
        // A transform's diff is its own change, from the input's normal form; the header says
        // when writing the result also normalizes the file.
        const patch = r.ownChange
          ? unifiedPatch(file.path, file.path, r.ownChange.before, r.normalized, r.ownChange.alsoNormalizes ? '(normal form; writing also normalizes this file)' : '', '')
          : unifiedPatch(file.path, file.path, r.original ?? '', r.normalized);
        out(mode.apply ? hideSecrets(patch) : patch);
      }
      if (mode.check && r.changed && !mode.diff) out(`${printable(file.path)}\n`);
      if (mode.outDir) writeMirrored(file, r.normalized);
      if (mode.apply && r.changed && file.live) pending.push({ path: file.path, label: file.live.label, uuid: file.live.uuid, text: r.normalized, readAs: Buffer.from(file.data!).toString('utf8') });
      out.fileDone();
    },
    async apply(fleet, io) {
      out.flush();
      if (!pending.length) {
        io.stderr.write('nothing to define: no domain would change\n');
        return;
      }
      declined = true;
      const hosts = new Set(pending.map((p) => p.label)).size;
      if (!mode.yes) {
        const answer = io.ask ? await io.ask(`Define ${pending.length} changed domain(s) on ${hosts} host(s)? [y/N] `) : '';
        if (!/^y(es)?$/i.test(answer.trim())) {
          io.stderr.write('nothing defined\n');
          return;
        }
      }
      declined = false;
      let defined = 0;
      let differs = 0;
      const { normalize } = await import('../core/normalize/normalize.js');
      const normal = (text: string) => normalize(text, { inactive: true }).text;
      for (const p of pending) {
        const r = await fleet.define(p.label, p.text, p.uuid, p.readAs);
        if ('error' in r) {
          diag.inputError(p.path, `not defined: ${r.error}`);
          continue;
        }
        defined++;
        // What libvirt stored, read back through the same connection, against what was sent.
        let difference: string | null = 'nothing readable came back';
        try {
          const sent = normal(p.text).split('\n');
          const stored = normal(r.stored).split('\n');
          const at = sent.findIndex((line, i) => line !== stored[i]);
          difference = at < 0 && sent.length === stored.length ? null
            : `line ${at + 1}: sent ${JSON.stringify((sent[at] ?? '').trim())}, stored ${JSON.stringify((stored[at] ?? '').trim())}`;
        } catch {
          // Said as the difference above.
        }
        if (difference !== null) {
          differs++;
          diag.notice(p.path, `defined, but libvirt stored it differently from what was sent (${hideSecrets(difference)})`);
        }
      }
      storedOtherwise = differs;
      io.stderr.write(`defined ${defined} of ${pending.length} changed domain(s) on ${hosts} host(s)${defined ? `; libvirt's stored definitions ${differs ? `differ for ${differs}` : 'match what was sent'}` : ''}` +
        (defined ? '; a running domain picks the change up at its next cold boot (shut down and start, not reboot)' : '') + '\n');
    },
    finish(inputErrors) {
      out.flush();
      diag.finish();
      for (const e of inputErrors) diag.inputError(e.path, e.reason);
      if (diag.failed) return ExitCode.Error;
      // Files that still differ from the result: as with --check, exit 1.
      if (leftAlone > 0 || declined || storedOtherwise > 0) return ExitCode.NoMatch;
      if (mode.check && wouldChange > 0) return ExitCode.NoMatch;
      return ExitCode.Ok;
    },
  };
}
