// Migrating domain XML: the rule stages in stylesheets/migrate/ (run by SaxonJS through
// stylesheets/migrate.xsl) rewrite each document, say which rule changed what, and normalize the
// result in the same call; the writer then writes it in libvirt's canonical form.
import { compiledStylesheet, saxon, saxonDocument } from '../engines/saxon.js';
import { prepare, type PreparedDocument } from '../normalize/normalize.js';
import { writeLibvirt, type TreeNode } from '../write/libvirt-writer.js';
import { fromStylesheet } from '../errors.js';
import { asBytes, rewriteResult, type RewriteResult } from '../rewrite/rewrite-result.js';
export { UnsafeMigrationError } from '../errors.js';

export type MigrationTarget = 'modern' | 'kvm';

export interface MigrateOptions {
  to: MigrationTarget;
  /** kvm: machine type (default pc). */
  machine?: 'pc' | 'q35';
  /** kvm: bus for converted disks (default virtio; IDE, or SATA on q35, for a Windows guest). */
  diskBus?: 'virtio' | 'sata' | 'scsi' | 'ide';
  /** kvm: model for converted NICs (default virtio; e1000 for a Windows guest). */
  nicModel?: string;
  /** kvm: emulator path (default /usr/bin/qemu-system-x86_64). */
  emulator?: string;
  /** kvm: UEFI firmware for guests that booted Xen's (default: libvirt chooses, os firmware='efi'). */
  firmware?: string;
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
    'Q{urn:domfleet:migrate}disk-bus': options.diskBus ?? '',
    'Q{urn:domfleet:migrate}nic-model': options.nicModel ?? '',
    'Q{urn:domfleet:migrate}emulator': options.emulator ?? '/usr/bin/qemu-system-x86_64',
    'Q{urn:domfleet:migrate}firmware': options.firmware ?? '',
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

interface Staged {
  changes: { rule: string; path: string }[];
  /** The migrated, normalized document; null when no rule fired. */
  tree: TreeNode | null;
}

function runStages(docs: PreparedDocument[], options: MigrateOptions): Staged[] {
  if (docs.length === 0) return [];
  let out: TreeNode[];
  try {
    const result = saxon().transform({
      ...compiledStylesheet('stylesheets/migrate.sef.json'),
      initialTemplate: 'Q{urn:domfleet:migrate}batch',
      stylesheetParams: { ...params(options), 'Q{urn:domfleet:migrate}documents': docs.map((d) => saxonDocument(d.text)) },
      destination: 'raw',
    }, 'sync');
    out = ([] as TreeNode[]).concat(result.principalResult as TreeNode | TreeNode[]);
  } catch (e) {
    throw fromStylesheet(e);
  }
  // Two documents per input: its changes, then its result (empty when nothing changed).
  return docs.map((_, i) => {
    const changes: Staged['changes'] = [];
    for (let c = out[2 * i].firstChild?.firstChild ?? null; c; c = c.nextSibling) {
      const attrs = Array.from(c.attributes ?? []);
      const value = (name: string) => attrs.find((a) => a.name === name)?.value ?? '';
      changes.push({ rule: value('rule'), path: value('path') });
    }
    const result = out[2 * i + 1];
    return { changes, tree: result.firstChild ? result : null };
  });
}

/**
 * Migrates prepared documents in one stylesheet call. Throws if any document fails (callers
 * that need per-file errors retry one by one).
 */
export function migratePrepared(docs: PreparedDocument[], options: MigrateOptions): MigratedDocument[] {
  const rules = migrationRules();
  return runStages(docs, options).map((staged, i) => ({
    // <metadata> is taken from the original, which no rule touches.
    text: staged.tree && writeLibvirt(staged.tree, { metadata: docs[i].metadata }),
    changes: staged.changes.map(({ rule, path }) => ({ rule, path, explanation: rules[rule] ?? '' })),
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

