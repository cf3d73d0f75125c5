// SARIF 2.1.0, the one shape validate and lint hand to code-scanning tools: the rules with their
// documentation, one result per finding with its file and line.
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VERSION } from '../../core/version.js';
import { ruleDocUrl } from '../../core/lint/rules.js';
import type { Severity } from '../../core/lint/rules.js';

export interface SarifRule { id: string; summary: string; severity: Severity; description?: string }
export interface SarifResult { rule: string; severity: Severity; message: string; file: string; line: number | null }

/** A path as SARIF wants it: relative to the working folder when inside it, else a file: URI. */
function artifactUri(path: string): string {
  if (!path.startsWith('/')) return path.split('/').map(encodeURIComponent).join('/');
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? pathToFileURL(path).href : rel.split('/').map(encodeURIComponent).join('/');
}

const camel = (id: string) => id.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');

export function sarifLog(rules: SarifRule[], results: SarifResult[]): object {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'domfleet',
          version: VERSION,
          informationUri: 'https://libvirt.org/formatdomain.html',
          rules: rules.map((r) => ({
            id: r.id,
            name: camel(r.id),
            shortDescription: { text: r.summary },
            ...(r.description ? { fullDescription: { text: r.description } } : {}),
            helpUri: ruleDocUrl(r.id),
            help: { text: `${r.summary}. What it means, why it matters and how to fix it: ${ruleDocUrl(r.id)}` },
            defaultConfiguration: { level: r.severity },
          })),
        },
      },
      columnKind: 'unicodeCodePoints',
      results: results.map((f) => ({
        ruleId: f.rule,
        ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
        level: f.severity,
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(f.file) }, ...(f.line ? { region: { startLine: f.line } } : {}) } }],
      })),
    }],
  };
}
