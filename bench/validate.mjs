// Validate benchmark for npm run bench: domfleet validate over a generated fleet against
// virt-xml-validate run over the same files one by one in a shell loop (what an operator does
// today), side by side, runs alternated.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function benchValidate({ OUT, BIN, compare, generateFleet, fleetFiles, have }) {
  if (!have('virt-xml-validate')) {
    console.error('virt-xml-validate is not installed (apt-get install libvirt-clients): the validate rows are left out');
    return [];
  }
  const size = Number(process.env.BENCH_VALIDATE_SIZE ?? 2000);
  const dir = generateFleet(join(OUT, `fleet-${size}`), size);
  const list = join(OUT, `validate-files-${size}.txt`);
  writeFileSync(list, fleetFiles(dir).join('\n') + '\n');
  console.error(`validate, ${size} files…`);
  const rows = compare(`validate ${size} files against libvirt's schema`, [
    { name: 'virt-xml-validate, one process per file', cmd: 'bash', args: ['-c', `while read -r f; do virt-xml-validate "$f" domain >/dev/null 2>&1; done < ${list}; true`] },
    { name: 'domfleet validate', cmd: BIN, args: ['validate', '-q', dir] },
  ]);
  rows[1].targets = [`validate ${size} files: ${rows[1].ratio.toFixed(2)}× virt-xml-validate in a loop (target ≤ 1×)`];
  return rows;
}
