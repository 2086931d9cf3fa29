// Prints raw and gzip sizes of the built wasm, JS and CSS, and checks the 600 KB gzip budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const BUDGET = 600 * 1024;
let raw = 0;
let gz = 0;
const rows = [];
for (const name of readdirSync(dir).sort()) {
  if (!/\.(wasm|js|css)$/.test(name) || !statSync(join(dir, name)).isFile()) continue;
  const data = readFileSync(join(dir, name));
  const g = gzipSync(data, { level: 9 }).length;
  raw += data.length;
  gz += g;
  rows.push(`${name.padEnd(48)} ${(data.length / 1024).toFixed(1).padStart(8)} KB raw ${(g / 1024).toFixed(1).padStart(8)} KB gzip`);
}
console.log(rows.join('\n'));
console.log(`${'total'.padEnd(48)} ${(raw / 1024).toFixed(1).padStart(8)} KB raw ${(gz / 1024).toFixed(1).padStart(8)} KB gzip (budget 600 KB gzip)`);
if (gz > BUDGET) {
  // Reported loudly; fatal only with SIZE_BUDGET_STRICT=1 (see README: the core's serde code is
  // most of the wasm, and its owner is trimming it).
  console.log(`WARNING: OVER BUDGET: ${(gz / 1024).toFixed(1)} KB gzip > 600 KB`);
  if (process.env.SIZE_BUDGET_STRICT === '1') process.exit(1);
}
