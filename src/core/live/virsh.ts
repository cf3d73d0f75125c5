// One long-lived `virsh` per host: libvirt's own client speaks libvirt's remote protocol (ssh,
// tls, tcp, local sockets, the test driver), so domfleet drives it rather than reimplementing it.
// virsh runs as an interactive shell fed commands on stdin; after each command we send `echo`
// with a marker, so its output ends where the marker's begins. Commands run one at a time: what
// virsh writes on stderr meanwhile is that command's error. Every command has a deadline: a host
// that stops answering is killed and reported, never waited for.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DomfleetError } from '../errors.js';

/** virsh itself is missing: nothing live can be read. */
export class VirshMissingError extends DomfleetError {
  constructor() {
    super("virsh is not installed: it is libvirt's client, which domfleet uses to reach hosts (Debian/Ubuntu: apt-get install libvirt-clients; Fedora/RHEL: dnf install libvirt-client)");
  }
}

/** A host that cannot be used: unreachable, authentication refused, timed out, or virsh gone. */
export class HostError extends Error {}

export interface CommandResult {
  /** What the command wrote on stdout. */
  output: string;
  /** What it wrote on stderr (its error, when it failed), trimmed. */
  error: string;
}

/**
 * The environment virsh runs in: messages in English, so they read alike on every host; no
 * wrapping of echoed commands; no user readline settings (~/.inputrc can change the prompt);
 * a dumb terminal, so readline writes no control sequences.
 */
const VIRSH_ENV = { ...process.env, LC_ALL: 'C', LANG: 'C', COLUMNS: '100000', INPUTRC: '/dev/null', TERM: 'dumb' };

/** A virsh argument, quoted for virsh's own command parser. */
export function virshQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Every session still open: ended when domfleet exits, however it exits. */
const open = new Set<VirshSession>();
process.on('exit', () => { for (const session of open) session.close(); });

export class VirshSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private stdout = '';
  private stderr = '';
  private exited: string | null = null;
  /** Where the current command's stderr starts. */
  private errorsFrom = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | null = null;
  private readonly token = randomBytes(6).toString('hex');
  private serial = 0;

  /** Starts virsh connected to `uri`; `timeoutMs` bounds every command, the connection included. */
  constructor(readonly uri: string, private readonly timeoutMs: number, virsh = 'virsh') {
    // In a session of its own: no controlling terminal, so an ssh that libvirt starts cannot stop
    // to ask for a password (it fails, and the host is reported), and the whole group is killed.
    this.child = spawn(virsh, ['-q', '-c', uri], { env: VIRSH_ENV, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => { this.stdout += d; this.wake?.(); });
    this.child.stderr.on('data', (d: string) => { this.stderr += d; this.wake?.(); });
    this.child.on('error', (e: NodeJS.ErrnoException) => {
      this.exited = e.code === 'ENOENT' ? 'virsh-missing' : e.message;
      this.wake?.();
    });
    open.add(this);
    this.child.on('close', (code) => {
      open.delete(this);
      this.exited ??= `virsh exited (status ${code})`;
      this.wake?.();
    });
    // A host that is not there shows at once: virsh cannot connect and stops.
    this.child.stdin.on('error', () => {});
  }

  /** Runs one command; resolves with its output and error text, rejects with HostError when the host is lost. */
  run(command: string): Promise<CommandResult> {
    const next = this.queue.then(() => this.runNow(command));
    this.queue = next.catch(() => {});
    return next;
  }

  private async runNow(command: string): Promise<CommandResult> {
    if (this.exited) throw this.lost();
    const mark = `@@${this.token}-${++this.serial}@@`;
    // Written as two words so that the marker as echoed back by virsh's prompt never matches.
    const printed = `${mark.slice(0, 2)} ${mark.slice(2)}`;
    // The buffer holds only what came after the previous command's marker (its prompt, maybe).
    this.errorsFrom = this.stderr.length;
    this.child.stdin.write(`${command}\necho ${virshQuote(mark.slice(0, 2))} ${virshQuote(mark.slice(2))}\n`);
    const deadline = Date.now() + this.timeoutMs;
    let at: number;
    while ((at = this.stdout.indexOf(printed)) < 0) {
      if (this.exited) throw this.lost();
      const left = deadline - Date.now();
      if (left <= 0) {
        this.close();
        throw new HostError(`no answer within ${Math.round(this.timeoutMs / 1000)} s (--connect-timeout)`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = null;
    }
    // Let stderr written before the marker arrive: virsh wrote it first.
    await new Promise((resolve) => setImmediate(resolve));
    let output = this.stdout.slice(0, at);
    this.stdout = this.stdout.slice(at + printed.length);
    // virsh's prompt echoes each command it reads (readline, even without a terminal): the
    // first line is the prompt and the command, the last the prompt and the marker's echo.
    // Known by the prompt (INPUTRC is ours) or by the command's own text.
    const firstLine = output.indexOf('\n');
    if (firstLine >= 0 && (output.startsWith('virsh # ') || output.slice(0, firstLine).endsWith(command))) output = output.slice(firstLine + 1);
    const markEcho = output.lastIndexOf(`echo ${virshQuote(mark.slice(0, 2))}`);
    if (markEcho >= 0 && output.indexOf('\n', markEcho) === output.length - 1) output = output.slice(0, output.lastIndexOf('\n', markEcho) + 1);
    return { output, error: this.stderr.slice(this.errorsFrom).trim() };
  }

  private lost(): Error {
    if (this.exited === 'virsh-missing') return new VirshMissingError();
    const said = this.stderr.slice(this.errorsFrom).split('\n').map((l) => l.replace(/^error: /, '').trim()).filter((l) => l && !/^failed to connect to the hypervisor$/.test(l));
    return new HostError(said.length ? said.join('; ') : this.exited ?? 'virsh stopped');
  }

  close(): void {
    open.delete(this);
    if (this.child.exitCode === null && !this.child.killed && this.child.pid !== undefined) {
      this.child.stdin.end();
      // The group: virsh and whatever it started (ssh for qemu+ssh://).
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        this.child.kill('SIGKILL');
      }
    }
  }
}
