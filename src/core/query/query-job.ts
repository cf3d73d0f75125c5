// Evaluating one query against one file: read, skip by pre-filter when the bytes cannot match,
// parse safely, evaluate, dispose.
import { XmlXPath } from 'libxml2-wasm';
import { compileQuery, type QuerySpec, type ResultItem } from '../engines/compiled-query.js';
import { outcomeOf, type FileOutcome } from '../fleet/outcome.js';
import type { InventoryEntry } from '../read/inventory.js';
import { parseDomain } from '../read/parse.js';
import { inspectProlog, readBytesTransient } from '../read/read-file.js';
import { skipTest } from '../engines/prefilter.js';

export interface QueryJobSpec {
  kind: 'query';
  query: QuerySpec;
  /** Parse every file even when its bytes show it cannot match. */
  noPrefilter?: boolean;
  maxFileSize?: number;
}

export interface FileMatches {
  /** The domain's name; absent when the file was skipped unparsed by the pre-filter. */
  domain?: string;
  items: ResultItem[];
}

export function createQueryJob(spec: QueryJobSpec) {
  const query = compileQuery(spec.query);
  const domainName = XmlXPath.compile('string(/domain/name)');
  const cannotMatch = spec.noPrefilter ? null : skipTest(query.prefilter);
  return {
    run(entry: InventoryEntry): FileOutcome<FileMatches> {
      return outcomeOf(entry, (warn) => {
        const bytes = readBytesTransient(entry, spec.maxFileSize);
        warn(inspectProlog(bytes).warnings);
        if (cannotMatch?.(bytes)) {
          return { items: [] };
        }
        const doc = parseDomain(entry.path, bytes);
        try {
          return { domain: String(doc.eval(domainName)), items: query.evaluate(doc) };
        } finally {
          doc.dispose();
        }
      });
    },
    engine: query.engine,
    dispose: () => { query.dispose(); domainName.dispose(); },
  };
}
