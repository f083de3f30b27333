// One cold start of a search function, in a fresh Node process: import the candidate's bundle,
// load the serialized index (already read from disk, as the function would have it from S3), and
// answer one query. Prints one JSON line: milliseconds of each step and the heap the index holds.
// Usage: node cold-start.mjs <bundle.mjs> <index.json> <query>
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundlePath, indexPath, query] = process.argv.slice(2);
const serialized = readFileSync(indexPath, 'utf8');
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const { candidate } = await import(pathToFileURL(bundlePath).href);
const t1 = performance.now();
const index = candidate.load(serialized);
const t2 = performance.now();
const hits = candidate.search(index, query, { limit: 20, visible: () => true });
const t3 = performance.now();
globalThis.gc?.();
const heapAfter = process.memoryUsage().heapUsed;
process.stdout.write(
  `${JSON.stringify({
    importMs: t1 - t0,
    loadMs: t2 - t1,
    firstQueryMs: t3 - t2,
    heapMb: (heapAfter - heapBefore) / 2 ** 20,
    hits: hits.length,
    keep: index !== undefined,
  })}\n`,
);
