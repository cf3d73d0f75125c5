// Migrating domain XML: the rule stages in stylesheets/migrate/ (run by SaxonJS through
// stylesheets/migrate.xsl) rewrite each document and say which rule changed what; the result is
// then normalized, so a migrated file is in libvirt's canonical form.
import { compiledStylesheet, saxon } from '../engines/saxon.js';
import { normalizePrepared, prepare, type PreparedDocument } from '../normalize/normalize.js';
import { fromStylesheet } from '../errors.js';
import { asBytes, rewriteResult, type RewriteResult } from '../rewrite/rewrite-result.js';
export { UnsafeMigrationError } from '../errors.js';

export type MigrationTarget = 'modern' | 'kvm';

export interface MigrateOptions {
  to: MigrationTarget;
  /** kvm: machine type (default pc). */
  machine?: 'pc' | 'q35';
  /** kvm: bus for converted disks (default virtio). */
  diskBus?: 'virtio' | 'sata' | 'scsi';
  /** kvm: model for converted NICs (default virtio). */
  nicModel?: string;
  /** kvm: emulator path (default /usr/bin/qemu-system-x86_64). */
  emulator?: string;
  /** Convert even what cannot be converted safely (a PV guest booting a host kernel). */
  force?: boolean;
}

export interface Change {
  rule: string;
  /** Path of the element the rule changed, e.g. /domain/devices/disk[2]. */
  path: string;
  explanation: string;
}

export interface MigratedDocument {
  /** Normalized migrated text; null when no rule fired (nothing to migrate). */
  text: string | null;
  changes: Change[];
}

/** A migration the rules refuse (err:unsafe-migration), with the stylesheet's reason. */

function params(options: MigrateOptions): Record<string, unknown> {
  return {
    'Q{urn:domfleet:migrate}target': options.to,
    'Q{urn:domfleet:migrate}machine': options.machine ?? 'pc',
    'Q{urn:domfleet:migrate}disk-bus': options.diskBus ?? 'virtio',
    'Q{urn:domfleet:migrate}nic-model': options.nicModel ?? 'virtio',
    'Q{urn:domfleet:migrate}emulator': options.emulator ?? '/usr/bin/qemu-system-x86_64',
    'Q{urn:domfleet:migrate}force': Boolean(options.force),
  };
}

let explanations: Record<string, string> | null = null;

/** Every rule id with its one-line explanation, as the stylesheets define them. */
export function migrationRules(): Record<string, string> {
  if (!explanations) {
    const result = saxon().transform({
      ...compiledStylesheet('stylesheets/migrate.sef.json'),
      initialTemplate: 'Q{urn:domfleet:migrate}rules',
      destination: 'raw',
    }, 'sync');
    explanations = JSON.parse(result.principalResult as string) as Record<string, string>;
  }
  return explanations;
}

function runStages(docs: PreparedDocument[], options: MigrateOptions): { xml: string; changes: string[] }[] {
  if (docs.length === 0) return [];
  try {
    const result = saxon().transform({
      ...compiledStylesheet('stylesheets/migrate.sef.json'),
      sourceText: `<batch>${docs.map((d) => `<file>${d.text}</file>`).join('')}</batch>`,
      initialTemplate: 'Q{urn:domfleet:migrate}batch',
      stylesheetParams: params(options),
      destination: 'raw',
    }, 'sync');
    const raw = result.principalResult as string[] | string;
    return (Array.isArray(raw) ? raw : [raw]).map((json) => JSON.parse(json) as { xml: string; changes: string[] });
  } catch (e) {
    throw fromStylesheet(e);
  }
}

/**
 * Migrates prepared documents in one stylesheet call. Throws if any document fails (callers
 * that need per-file errors retry one by one).
 */
export function migratePrepared(docs: PreparedDocument[], options: MigrateOptions): MigratedDocument[] {
  const rules = migrationRules();
  const staged = runStages(docs, options);
  const changed = staged.map((s, i) => ({ s, i })).filter(({ s }) => s.changes.length > 0);
  // Migrated text goes through normalize; <metadata> is taken from the original, which no rule touches.
  const normalized = normalizePrepared(changed.map(({ s, i }) => {
    const again = prepare('<migrated>', Buffer.from(s.xml));
    return { text: again.text, metadata: docs[i].metadata };
  }), {});
  const texts = new Map(changed.map(({ i }, k) => [i, normalized[k]]));
  return staged.map((s, i) => ({
    text: texts.get(i) ?? null,
    changes: s.changes.map((c) => {
      const [rule, path] = c.split('\t');
      return { rule, path, explanation: rules[rule] ?? '' };
    }),
  }));
}

export interface MigrateResult extends RewriteResult {
  /** What each rule changed; [] when there was nothing to migrate (text is then the input). */
  changes: Change[];
}

/** Library entry point: one document in, its migration out. */
export function migrate(xml: string | Uint8Array, options: MigrateOptions & { path?: string }): MigrateResult {
  const bytes = asBytes(xml);
  const { text, changes } = migratePrepared([prepare(options.path ?? '<input>', bytes)], options)[0];
  return { ...rewriteResult(bytes, text), changes };
}

