// domfleet validate without printing: every file of the inventory against libvirt's RELAX NG
// schema for domains, the same verdict virt-xml-validate gives, the schema compiled once per
// thread instead of once per file.
import { discover } from '../read/inventory.js';
import { runFleet, type FileOutcome, type FleetInputOptions } from '../fleet/fleet.js';
import { parseDomain } from '../read/parse.js';
import { asBytes } from '../rewrite/rewrite-result.js';
import { schemaDir, schemaLabel, schemaProblems, type SchemaProblem } from './schema.js';
import type { FileValidation } from './validate-job.js';

export type { SchemaProblem, FileValidation };
export { DEFAULT_SCHEMA_DIR } from './schema.js';

export interface ValidateOptions extends FleetInputOptions {
  /** A libvirt schema folder (default /usr/share/libvirt/schemas). */
  schemaDir?: string;
}

export interface ValidateSummary {
  /** Which schema judged: its folder, and libvirt's version when known. */
  schema: string;
  files: number;
  invalid: number;
  inputErrors: { path: string; reason: string }[];
}

/** Validates every file; each file's outcome goes to `onFile` in input order. */
export async function validateFleet(inputs: string[], options: ValidateOptions, onFile: (outcome: FileOutcome<FileValidation>) => void): Promise<ValidateSummary> {
  const dir = schemaDir(options.schemaDir);
  const found = await discover(inputs, options);
  let invalid = 0;
  // runFleet hands outcomes over in input order.
  await runFleet<FileValidation>({ kind: 'validate', schemaDir: dir, maxFileSize: options.maxFileSize }, found.entries, (outcome) => {
    if (outcome.result && outcome.result.problems.length) invalid++;
    onFile(outcome);
  }, { workers: options.workers, onProgress: options.onProgress });
  return { schema: schemaLabel(dir), files: found.entries.length, invalid, inputErrors: found.errors.map((e) => ({ path: e.path, reason: e.reason })) };
}

/** Library entry point: one document against libvirt's schema. */
export function validate(xml: string | Uint8Array, options: { schemaDir?: string; path?: string } = {}): { valid: boolean; problems: SchemaProblem[] } {
  const dir = schemaDir(options.schemaDir);
  const bytes = asBytes(xml);
  const path = options.path ?? '<input>';
  const doc = parseDomain(path, bytes);
  try {
    const problems = schemaProblems(doc, dir, () => parseDomain(path, bytes));
    return { valid: problems.length === 0, problems };
  } finally {
    doc.dispose();
  }
}
