// Size units as libvirt reads them. The table is stylesheets/lib/units.json, which the
// stylesheets (f:to-kib) and the saved query `memory` read too: one table for every consumer.
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from './version.js';

let unitBytes: Map<string, bigint> | null = null;

function table(): Map<string, bigint> {
  if (!unitBytes) {
    const json = JSON.parse(readFileSync(new URL('stylesheets/lib/units.json', PROJECT_ROOT), 'utf8')) as Record<string, unknown>;
    // Strings in the table and BigInt here: no size is ever rounded through a double.
    unitBytes = new Map(Object.entries(json).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [k, BigInt(String(v))]));
  }
  return unitBytes;
}

/** KiB rounded up, as libvirt computes them; no unit means KiB. Null for an unknown unit or a non-integer. */
export function toKib(value: string, unit: string): number | null {
  const v = value.trim();
  const bytes = table().get((unit.trim() || 'KiB').toLowerCase());
  if (!/^\d+$/.test(v) || bytes === undefined) return null;
  return Number((BigInt(v) * bytes + 1023n) / 1024n);
}
