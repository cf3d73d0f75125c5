// Validating one file: read, parse safely, check against libvirt's schema (compiled once per
// thread), report the problems with their lines and paths.
import { outcomeOf, type FileOutcome } from '../fleet/outcome.js';
import type { InventoryEntry } from '../read/inventory.js';
import { parseDomain } from '../read/parse.js';
import { inspectProlog, readBytes } from '../read/read-file.js';
import { schemaProblems, type SchemaProblem } from './schema.js';

export interface ValidateJobSpec {
  kind: 'validate';
  /** The schema folder, already checked (schemaDir()). */
  schemaDir: string;
  maxFileSize?: number;
}

export interface FileValidation {
  /** The domain's name. */
  domain: string;
  /** [] when the file is valid. */
  problems: SchemaProblem[];
}

export function createValidateJob(spec: ValidateJobSpec) {
  return {
    run: (entries: InventoryEntry[]): FileOutcome<FileValidation>[] => entries.map((entry) => outcomeOf(entry, (warn) => {
      const bytes = readBytes(entry, spec.maxFileSize);
      warn(inspectProlog(bytes).warnings);
      const doc = parseDomain(entry.path, bytes);
      try {
        return { domain: String(doc.eval('string(/domain/name)')), problems: schemaProblems(doc, spec.schemaDir, () => parseDomain(entry.path, bytes)) };
      } finally {
        doc.dispose();
      }
    })),
    dispose() {},
  };
}
