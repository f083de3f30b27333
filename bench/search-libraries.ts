/**
 * Search-library benchmark: MiniSearch, Orama and FlexSearch, each behind the same query policy
 * (`lambdas/discovery/domain/search-ranking.ts`), over the demo catalog and a synthetic catalog
 * (default 5,000 titles). `node bench/search-libraries.ts`; docs/search.md reads the results.
 *
 * Per library and catalog:
 * - build: median ms to index the catalog and serialize it (BENCH_RUNS runs);
 * - index: serialized size, raw and gzipped (S3 can store it gzipped);
 * - load: median ms to deserialize it in a warm process (BENCH_RUNS runs);
 * - cold: median over BENCH_COLD_RUNS fresh Node processes (`cold-start.mjs`) of importing the
 *   library's bundle + loading the index + answering the first query, and the heap the loaded
 *   index holds (`--expose-gc`);
 * - query p50/p99: every query of the mix (the labelled queries plus short, long and hostile
 *   ones), BENCH_ROUNDS times, in a warm process;
 * - recall: share of `find` queries whose title is in the top k (k = 5 for the demo catalog, 10
 *   for the synthetic); top-1: share of `top` queries whose title is first; kept out: share of
 *   `miss` queries (beyond the typo budget) that do NOT return their title.
 * Per library: the bundle (esbuild, minified, platform node, ESM) of the candidate module, and
 * what it adds to the bundle of the shared query policy alone.
 *
 * Output: progress on stderr; on stdout the tables, then one JSON line (last line). Exits 0
 * whatever the figures; non-zero only when something cannot run.
 *
 * Env: BENCH_TITLES (default 5000), BENCH_RUNS (5), BENCH_ROUNDS (20), BENCH_COLD_RUNS (5).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Candidate } from './search-libraries/candidate.ts';
import { candidate as flexsearch } from './search-libraries/candidate-flexsearch.ts';
import { candidate as minisearch } from './search-libraries/candidate-minisearch.ts';
import { candidate as orama } from './search-libraries/candidate-orama.ts';
import { type BenchCatalog, demoCatalog, syntheticCatalog } from './search-libraries/catalogs.ts';
import {
  demoQueries,
  type LabelledQuery,
  type QueryKind,
  syntheticQueries,
} from './search-libraries/queries.ts';
import { positiveIntEnv } from './support/env.ts';
import { latencyHistogram, medianSec, recordMs, summarizeMs } from './support/latency.ts';
import { printResultLine, progressLog, round2 } from './support/output.ts';

const TITLES = positiveIntEnv('BENCH_TITLES', 5000);
const RUNS = positiveIntEnv('BENCH_RUNS', 5);
const ROUNDS = positiveIntEnv('BENCH_ROUNDS', 20);
const COLD_RUNS = positiveIntEnv('BENCH_COLD_RUNS', 5);

const log = progressLog('search');
const here = fileURLToPath(new URL('.', import.meta.url));
const CANDIDATES: readonly { readonly candidate: Candidate; readonly module: string }[] = [
  { candidate: minisearch as Candidate, module: 'search-libraries/candidate-minisearch.ts' },
  { candidate: orama as Candidate, module: 'search-libraries/candidate-orama.ts' },
  { candidate: flexsearch as Candidate, module: 'search-libraries/candidate-flexsearch.ts' },
];
/** Queries a viewer also types, beside the labelled ones: short, common, long, hostile. */
const EXTRA_QUERIES = ['the', 'a', 'lo', 'the lighthouse keeper', 'a'.repeat(200), "' OR 1=1 --", '.*(', '%'];

const medianMs = (values: readonly number[]) => medianSec(values.map((ms) => ms / 1000)) * 1000;
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

function timed<T>(f: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = f();
  return { value, ms: performance.now() - start };
}

/** Shares of labelled queries passed; `null` when the catalog has no query of that expectation. */
interface Quality {
  readonly recall: number | null;
  readonly top1: number | null;
  readonly keptOut: number | null;
  readonly byKind: Partial<Record<QueryKind, number>>;
}

function quality(
  candidate: Candidate,
  index: unknown,
  queries: readonly LabelledQuery[],
  k: number,
): Quality {
  const passed = new Map<QueryKind, { ok: number; all: number }>();
  const totals = { find: [0, 0], top: [0, 0], miss: [0, 0] } as Record<
    LabelledQuery['expect'],
    [number, number]
  >;
  for (const q of queries) {
    const limit = q.expect === 'miss' ? 1000 : k;
    const ids = candidate.search(index, q.query, { limit, visible: () => true }).map((hit) => hit.titleId);
    const ok =
      q.expect === 'find'
        ? ids.some((id) => q.titleIds.includes(id))
        : q.expect === 'top'
          ? q.titleIds.includes(ids[0] ?? '')
          : !ids.some((id) => q.titleIds.includes(id));
    const kind = passed.get(q.kind) ?? { ok: 0, all: 0 };
    passed.set(q.kind, { ok: kind.ok + (ok ? 1 : 0), all: kind.all + 1 });
    totals[q.expect][0] += ok ? 1 : 0;
    totals[q.expect][1] += 1;
  }
  const share = ([ok, all]: [number, number]) => (all === 0 ? null : round2(ok / all));
  return {
    recall: share(totals.find),
    top1: share(totals.top),
    keptOut: share(totals.miss),
    byKind: Object.fromEntries([...passed].map(([kind, { ok, all }]) => [kind, round2(ok / all)])),
  };
}

async function bundle(entry: string, outfile?: string): Promise<{ bytes: number; gzipBytes: number }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    write: outfile !== undefined,
    ...(outfile ? { outfile } : { outdir: 'unused' }),
    logLevel: 'silent',
  });
  const code = outfile ? (await import('node:fs')).readFileSync(outfile) : result.outputFiles?.[0]?.contents;
  if (code === undefined) throw new Error(`esbuild wrote nothing for ${entry}`);
  return { bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength };
}

interface ColdStart {
  readonly ms: number;
  readonly importMs: number;
  readonly loadMs: number;
  readonly firstQueryMs: number;
  readonly heapMb: number;
}

function coldStart(bundlePath: string, indexPath: string, query: string): ColdStart {
  const runs: ColdStart[] = [];
  for (let run = 0; run < COLD_RUNS + 1; run += 1) {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', join(here, 'search-libraries/cold-start.mjs'), bundlePath, indexPath, query],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`cold start failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim()) as Omit<ColdStart, 'ms'>;
    // The first run fills the page cache: not counted.
    if (run > 0) runs.push({ ...r, ms: r.importMs + r.loadMs + r.firstQueryMs });
  }
  const median = (f: (r: ColdStart) => number) => round2(medianMs(runs.map(f)));
  return {
    ms: median((r) => r.ms),
    importMs: median((r) => r.importMs),
    loadMs: median((r) => r.loadMs),
    firstQueryMs: median((r) => r.firstQueryMs),
    heapMb: median((r) => r.heapMb),
  };
}

interface Row {
  readonly library: string;
  readonly catalog: string;
  readonly buildMs: number;
  readonly indexKb: number;
  readonly indexGzipKb: number;
  readonly loadMs: number;
  readonly cold: ColdStart;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly quality: Quality;
  readonly k: number;
}

async function measure(
  { candidate, module }: (typeof CANDIDATES)[number],
  catalog: BenchCatalog,
  queries: readonly LabelledQuery[],
  k: number,
  work: string,
): Promise<Row> {
  log(`${candidate.name} × ${catalog.label}`);
  const builds = Array.from({ length: RUNS }, () =>
    timed(() => candidate.build(catalog.titles, catalog.popularity)),
  );
  const serialized = builds[0]?.value ?? '';
  const loads = Array.from({ length: RUNS }, () => timed(() => candidate.load(serialized)));
  const index = loads[0]?.value;

  const mix = [...queries.map((q) => q.query), ...EXTRA_QUERIES];
  const histogram = latencyHistogram();
  for (const q of mix) candidate.search(index, q, { limit: 20, visible: () => true }); // warm-up
  for (let round = 0; round < ROUNDS; round += 1)
    for (const q of mix)
      recordMs(histogram, timed(() => candidate.search(index, q, { limit: 20, visible: () => true })).ms);
  const latency = summarizeMs(histogram);

  const indexPath = join(work, `${candidate.name}-${catalog.titles.length}.json`);
  writeFileSync(indexPath, serialized);
  const bundlePath = join(work, `${candidate.name}.mjs`);
  await bundle(join(here, module), bundlePath);
  const cold = coldStart(bundlePath, indexPath, queries[0]?.query ?? 'the');

  return {
    library: candidate.name,
    catalog: catalog.label,
    buildMs: round2(medianMs(builds.map((b) => b.ms))),
    indexKb: kb(Buffer.byteLength(serialized)),
    indexGzipKb: kb(gzipSync(serialized).byteLength),
    loadMs: round2(medianMs(loads.map((l) => l.ms))),
    cold,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    quality: quality(candidate, index, queries, k),
    k,
  };
}

const pad = (cells: readonly (string | number)[], widths: readonly number[]) =>
  cells.map((c, i) => String(c).padStart(widths[i] ?? 0)).join('  ');

function printTables(
  rows: readonly Row[],
  bundles: Readonly<Record<string, { bytes: number; gzipBytes: number }>>,
) {
  const base = bundles.policy;
  const header = [
    'library',
    'catalog',
    'build ms',
    'index KB',
    'gzip KB',
    'load ms',
    'cold ms',
    '(import',
    'load',
    '1st q)',
    'heap MB',
    'q p50',
    'q p99',
    'recall',
    'top-1',
    'kept out',
  ];
  const widths = header.map((h) => Math.max(h.length, 10));
  widths[1] = 16;
  const lines = [pad(header, widths)];
  for (const r of rows)
    lines.push(
      pad(
        [
          r.library,
          r.catalog,
          r.buildMs,
          r.indexKb,
          r.indexGzipKb,
          r.loadMs,
          r.cold.ms,
          r.cold.importMs,
          r.cold.loadMs,
          r.cold.firstQueryMs,
          r.cold.heapMb,
          r.p50Ms,
          r.p99Ms,
          `${r.quality.recall ?? '-'}@${r.k}`,
          r.quality.top1 ?? '-',
          r.quality.keptOut ?? '-',
        ],
        widths,
      ),
    );
  process.stdout.write(`${lines.join('\n')}\n\n`);

  const kinds = [...new Set(rows.flatMap((r) => Object.keys(r.quality.byKind)))] as QueryKind[];
  const kindWidths = [10, 16, ...kinds.map((k) => Math.max(k.length, 6))];
  const kindLines = [pad(['library', 'catalog', ...kinds], kindWidths)];
  for (const r of rows)
    kindLines.push(pad([r.library, r.catalog, ...kinds.map((k) => r.quality.byKind[k] ?? '-')], kindWidths));
  process.stdout.write(`share of labelled queries passed, by kind\n${kindLines.join('\n')}\n\n`);

  const bundleLines = [pad(['bundle', 'min KB', 'gzip KB', '+ min KB', '+ gzip KB'], [24, 10, 10, 10, 10])];
  for (const [name, b] of Object.entries(bundles))
    bundleLines.push(
      pad(
        [
          name,
          kb(b.bytes),
          kb(b.gzipBytes),
          base ? kb(b.bytes - base.bytes) : '-',
          base ? kb(b.gzipBytes - base.gzipBytes) : '-',
        ],
        [24, 10, 10, 10, 10],
      ),
    );
  process.stdout.write(
    `bundles (esbuild, minified, node, esm; + = added to the query policy alone)\n${bundleLines.join('\n')}\n`,
  );
}

const work = mkdtempSync(join(tmpdir(), 'search-bench-'));
const loadBefore = loadavg().map(round2);
try {
  const now = new Date();
  const demo = demoCatalog(now);
  const synthetic = syntheticCatalog(TITLES, now);
  const catalogs = [
    { catalog: demo, queries: demoQueries(demo.titles), k: 5 },
    { catalog: synthetic, queries: syntheticQueries(synthetic.titles, 30), k: 10 },
  ];
  log(
    `catalogs: ${catalogs.map((c) => `${c.catalog.label} with ${c.queries.length} labelled queries`).join('; ')}`,
  );

  const bundles: Record<string, { bytes: number; gzipBytes: number }> = {
    policy: await bundle(join(here, '../lambdas/discovery/domain/search-ranking.ts')),
  };
  for (const { candidate, module } of CANDIDATES) bundles[candidate.name] = await bundle(join(here, module));

  const rows: Row[] = [];
  for (const { catalog, queries, k } of catalogs)
    for (const entry of CANDIDATES) rows.push(await measure(entry, catalog, queries, k, work));

  printTables(rows, bundles);
  const loadAfter = loadavg().map(round2);
  process.stdout.write(
    `\n${availableParallelism()} cores, load average ${loadBefore.join('/')} before, ${loadAfter.join('/')} after; ${process.version}\n`,
  );
  printResultLine({
    bench: 'search-libraries',
    titles: TITLES,
    runs: RUNS,
    rounds: ROUNDS,
    coldRuns: COLD_RUNS,
    rows,
    bundles,
    node: process.version,
    cores: availableParallelism(),
    loadavg: [loadBefore, loadAfter],
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
