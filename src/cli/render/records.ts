// Streaming writers for query results: one record per result item, in text, TSV, CSV, JSON,
// NDJSON or XML. Each writer prints as records arrive so a 100k-file run never holds them all.

import { printable } from '../printable.js';
import { csvCell } from '../../core/write/csv.js';

export interface ResultRecord {
  host: string;
  file: string;
  domain: string;
  line?: number;
  value: string | Record<string, string>;
  xml?: string;
}

export const FORMATS = ['text', 'tsv', 'csv', 'json', 'ndjson', 'xml'] as const;
export type Format = (typeof FORMATS)[number];

export interface RecordWriter {
  write(record: ResultRecord): void;
  end(): void;
}

type Out = (s: string) => void;

const BASE_COLUMNS = ['host', 'file', 'domain', 'line'] as const;

// TSV and text fields: one record per line whatever the value holds (see printable.ts).
const tsvField = printable;

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Column layout fixed by the first record: `value`, or the keys of the first map item. */
function tabular(out: Out, field: (s: string) => string, sep: string): RecordWriter {
  let valueColumns: string[] | null = null;
  return {
    write(r) {
      if (!valueColumns) {
        // A map key named like a base column (typically 'domain') fills that column instead of repeating it.
        valueColumns = typeof r.value === 'string' ? ['value'] : Object.keys(r.value).filter((k) => !(BASE_COLUMNS as readonly string[]).includes(k));
        out([...BASE_COLUMNS, ...valueColumns].map(field).join(sep) + '\n');
      }
      const values = typeof r.value === 'string'
        ? valueColumns.map((c) => (c === 'value' ? r.value as string : ''))
        : valueColumns.map((c) => (r.value as Record<string, string>)[c] ?? '');
      const base = { host: r.host, file: r.file, domain: r.domain, line: r.line?.toString() ?? '', ...(typeof r.value === 'string' ? {} : r.value) };
      out([base.host, base.file, base.domain, base.line, ...values].map(field).join(sep) + '\n');
    },
    end() {},
  };
}

function jsonObject(r: ResultRecord): Record<string, unknown> {
  const o: Record<string, unknown> = { host: r.host, file: r.file, domain: r.domain };
  if (r.line !== undefined) o.line = r.line;
  o.value = r.value;
  return o;
}

export function recordWriter(format: Format, out: Out, options: { filename: boolean; csvRaw?: boolean }): RecordWriter {
  switch (format) {
    case 'text':
      return {
        write(r) {
          const value = typeof r.value === 'string' ? printable(r.value) : Object.values(r.value).map(printable).join('\t');
          out(options.filename ? `${printable(r.file)}\t${value}\n` : `${value}\n`);
        },
        end() {},
      };
    case 'tsv':
      return tabular(out, tsvField, '\t');
    case 'csv':
      return tabular(out, (s) => csvCell(s, options.csvRaw), ',');
    case 'ndjson':
      return { write: (r) => out(JSON.stringify(jsonObject(r)) + '\n'), end() {} };
    case 'json': {
      let first = true;
      return {
        write(r) {
          out((first ? '[\n' : ',\n') + JSON.stringify(jsonObject(r)));
          first = false;
        },
        end: () => out(first ? '[]\n' : '\n]\n'),
      };
    }
    case 'xml': {
      out('<results>\n');
      return {
        write(r) {
          const attrs = `host="${xmlEscape(r.host)}" file="${xmlEscape(r.file)}" domain="${xmlEscape(r.domain)}"` +
            (r.line !== undefined ? ` line="${r.line}"` : '');
          if (typeof r.value !== 'string') {
            const cols = Object.entries(r.value).map(([k, v]) => `<column name="${xmlEscape(k)}">${xmlEscape(v)}</column>`).join('');
            out(`  <result ${attrs}>${cols}</result>\n`);
          } else {
            out(`  <result ${attrs}>${r.xml ?? xmlEscape(r.value)}</result>\n`);
          }
        },
        end: () => out('</results>\n'),
      };
    }
  }
}
