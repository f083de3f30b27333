/**
 * Lambda benchmark (issue #9): how big is each function's bundle as `cdk deploy` ships it, and
 * how much longer is its cold start than an empty handler's? See the README text for what is
 * and is not captured.
 *
 * 1. Bundles: the `aws` target synthesized with bundling on for every stack (`bundles.ts`); each
 *    house function's `index.mjs` from its asset directory (size = that file; the whole directory,
 *    source map and copied files included, is printed apart). The baseline, an empty handler, is
 *    bundled by replaying a function's own esbuild command.
 * 2. Cold starts: one fresh Node process per measurement (`lambda/cold-start.mjs`), with the
 *    function's synthesized environment (tokens resolved, `environment.ts`) and Lambda's own
 *    variables. It loads what the Lambda Node.js runtime loads before the handler
 *    (`RUNTIME_MODULES`), imports the bundle (the `@aws-sdk/*` it leaves out resolve from the
 *    project's node_modules, as they resolve from the runtime's on Lambda), and makes one handler
 *    call with a representative event (`events.ts`) whose AWS calls a local HTTPS stub answers
 *    (`aws-stub.ts`). Time = process start to the call's end.
 * 3. Rounds: BENCH_RUNS (default 9) measured runs per bundle after one untimed warm-up run each
 *    (which fills the page cache and checks the function runs). Each round goes through every
 *    function in a rotated order with a baseline run before every BENCH_BASELINE_EVERY-th
 *    function, and the runtime-SDK-only modules (below) among them, so a change in the machine's
 *    load weighs on functions and baseline alike.
 * 4. Result: per function the median of its runs, ratio = median / baseline median; the headline
 *    `ratio` is the median of those ratios. Medians of 9 are the 5th of 9 sorted values: a plain
 *    sort is exact, where an HDR histogram would only add bucket rounding.
 *
 * Diagnostic: for every distinct set of `@aws-sdk/*` packages a bundle imports, a module that
 * imports just those is measured the same way, so each row shows how much of the import is the
 * runtime's SDK and how much is the bundle's own code.
 *
 * Output: progress on stderr; on stdout the table, then one JSON line (last line). Exits 0
 * whatever the figures (`met` says whether the targets were met) and whether some functions
 * failed to build or run (listed, with their errors, in the table and in `failed`); non-zero only
 * when nothing can be measured (the app does not synthesize, the baseline does not run).
 *
 * Env: BENCH_RUNS (default 9), BENCH_BASELINE_EVERY (default 3), BENCH_FUNCTIONS (comma-separated
 * function ids: measure only these; a smoke run, not a measurement), BENCH_PROFILE (comma-separated
 * function ids: after the rounds, one more cold start of each under `--cpu-prof`, its CPU time
 * printed by origin: `lambda/profile.ts`), BENCH_KEEP=1 (keep the temporary directory with the
 * cloud assembly).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type AwsStub, STUB_ACCOUNT, STUB_REGION, startAwsStub } from './lambda/aws-stub.ts';
import { bundleBaseline, type HouseFunction, synthesizeBundles } from './lambda/bundles.ts';
import { lambdaEnvironment, templateResolver } from './lambda/environment.ts';
import { benchEvent, cognitoAccessToken, IDS, PROBE, type RouteInfo } from './lambda/events.ts';
import { attributeProfile, type ProfileShare } from './lambda/profile.ts';
import { positiveIntEnv } from './support/env.ts';

const TARGET_RATIO = 1.5;
const TARGET_MAX_BUNDLE_KB = 500;
const TARGET_MEDIAN_BUNDLE_KB = 250;
const RUNS = positiveIntEnv('BENCH_RUNS', 9);
const BASELINE_EVERY = positiveIntEnv('BENCH_BASELINE_EVERY', 3);
const ONLY = (process.env.BENCH_FUNCTIONS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const KEEP = process.env.BENCH_KEEP === '1';
const PROFILE = (process.env.BENCH_PROFILE ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const HARNESS = fileURLToPath(new URL('./lambda/cold-start.mjs', import.meta.url));
const KB = 1024;
/** Longest a measured process may take before it is killed and the function reported as failed. */
const RUN_TIMEOUT_MS = 60_000;

/**
 * What the Lambda Node.js runtime interface client has loaded when it imports the handler
 * (aws/aws-lambda-nodejs-runtime-interface-client: `node:http` and an `Agent` for the Runtime
 * API, `node:net` for response streaming, `node:fs` / `node:path` to find the handler,
 * `node:util` for its console patch, `node:worker_threads` for multi-concurrency,
 * `node:async_hooks` for its invoke store, `node:assert`). Its native Runtime API client
 * (`rapid-client.node`) cannot be loaded here and is left out.
 */
const RUNTIME_MODULES = [
  'node:http',
  'node:net',
  'node:fs',
  'node:path',
  'node:util',
  'node:assert',
  'node:worker_threads',
  'node:async_hooks',
] as const;

const say = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};
const round1 = (n: number): number => Math.round(n * 10) / 10;
const round2 = (n: number): number => Math.round(n * 100) / 100;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

// ---------------------------------------------------------------------------------------------
// One cold start
// ---------------------------------------------------------------------------------------------

type Outcome =
  | { kind: 'http'; status: number; code?: string }
  | { kind: 'returned'; keys: string[] }
  | { kind: 'threw'; error: string }
  | { kind: 'init-error'; error: string };

interface ColdStart {
  totalMs: number;
  bootMs: number;
  runtimeMs: number;
  importMs: number;
  callMs: number;
  outcome: Outcome;
}

/** What one measured process runs: a bundle, its environment, its event. */
interface Subject {
  readonly name: string;
  readonly bundleDir: string;
  readonly env: Record<string, string>;
  readonly specFile: string;
}

async function coldStart(subject: Subject, nodeArgs: readonly string[] = []): Promise<ColdStart> {
  const child = spawn(process.execPath, [...nodeArgs, HARNESS, subject.specFile], {
    cwd: subject.bundleDir,
    env: subject.env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const tail = (stream: Readable | null) => {
    let text = '';
    stream?.on('data', (chunk: Buffer) => {
      text = (text + chunk.toString('utf8')).slice(-4000);
    });
    return () => text;
  };
  const stdout = tail(child.stdout);
  const stderr = tail(child.stderr);
  const result = tail(child.stdio[3] as Readable);
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  const line = result().trim().split('\n').at(-1) ?? '';
  if (code !== 0 || line === '') {
    const output = `${stderr()}\n${stdout()}`.trim().split('\n').slice(-4).join(' | ');
    throw new Error(`the process exited with ${code ?? 'a signal'} and no result: ${output.slice(-600)}`);
  }
  return JSON.parse(line) as ColdStart;
}

function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'http':
      return `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`;
    case 'returned':
      return `returned {${outcome.keys.join(',')}}`;
    case 'threw':
      return `threw ${outcome.error.slice(0, 70)}`;
    case 'init-error':
      return `init error ${outcome.error}`;
  }
}

/** `dynamodb.GetItem ×2, lambda.Invoke(getProfile)` */
function describeCalls(calls: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call, (counts.get(call) ?? 0) + 1);
  return [...counts].map(([call, n]) => (n > 1 ? `${call} ×${n}` : call)).join(', ') || 'none';
}

// ---------------------------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------------------------

function sizesOf(dir: string): { indexBytes: number; dirBytes: number; files: string[] } {
  const files = readdirSync(dir).sort();
  const dirBytes = files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  return { indexBytes: statSync(join(dir, 'index.mjs')).size, dirBytes, files };
}

/**
 * The `@aws-sdk/*` packages a bundle leaves to the runtime: its `import` statements of them
 * (esbuild writes external imports as statements; the SDK's error messages that quote
 * `import "@aws-sdk/…"` are strings, not statements). `bundled`: its source map has SDK sources
 * (`awsSdk: 'bundled'`).
 */
function sdkOf(assetDir: string): { imports: string[]; bundled: boolean } {
  const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
  const statements = /(?:^|[;}\n])\s*import\s*(?:[^;"'()]*?\bfrom\s*)?["'](@aws-sdk\/[^"']+)["']/g;
  const imports = [...new Set([...code.matchAll(statements)].map((m) => m[1] ?? ''))].sort();
  let bundled = false;
  try {
    const map = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')) as { sources?: string[] };
    bundled = (map.sources ?? []).some((source) => source.includes('node_modules/@aws-sdk/'));
  } catch {
    bundled = false;
  }
  return { imports, bundled };
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

interface Row {
  readonly fn: HouseFunction;
  readonly indexBytes: number;
  readonly dirBytes: number;
  readonly files: string[];
  readonly sdkImports: string[];
  /** The bundle carries its own SDK (`awsSdk: 'bundled'`). */
  readonly sdkBundled: boolean;
  readonly sdkKey: string;
  readonly eventKind: string;
  subject: Subject | undefined;
  failure: string | undefined;
  warmOutcome: string;
  calls: string;
  runs: ColdStart[];
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map(round2);
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new Error(
      `Node ${process.versions.node}: run with Node 24 (npm run bench:lambda puts it first on PATH).`,
    );
  }
  const workDir = mkdtempSync(join(tmpdir(), 'showrunner-bench-lambda-'));
  // The bundles leave `@aws-sdk/*` to the runtime; here they resolve from the project's copy.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  let stub: AwsStub | undefined;
  try {
    // 1. Bundles.
    say(`synthesizing the aws target with bundling on for every stack into ${workDir}/cdk.out …`);
    const synth = await synthesizeBundles(join(workDir, 'cdk.out'), say);
    say(`synth done in ${round1(synth.synthMs / 1000)} s, ${synth.esbuildCalls.length} esbuild runs`);
    const baseline = bundleBaseline(synth.esbuildCalls, join(workDir, 'baseline'));
    say(`baseline bundled with the esbuild command of ${baseline.model}`);
    const resolver = templateResolver(synth.stacks);

    const selected = synth.functions.filter((f) => ONLY.length === 0 || ONLY.includes(f.functionId));
    if (ONLY.length > 0 && selected.length === 0)
      throw new Error(`BENCH_FUNCTIONS matches no function: ${ONLY.join(', ')}`);

    // 2. The stub and what it knows.
    const parameters: Record<string, string> = {};
    const secret = randomBytes(33).toString('base64');
    const world = { parameters, secretString: JSON.stringify({ kid: 'k1', secret }), jwks: {} as unknown };
    stub = await startAwsStub(world, workDir);
    const allVariables = synth.functions.map((f) => resolver.variablesOf(f));
    const anyVariable = (name: string) => allVariables.find((v) => v[name] !== undefined)?.[name];
    const pathwaysParameter = anyVariable('SHOWRUNNER_EDGE_PATHWAYS_PARAMETER');
    const kvsParameter = anyVariable('SHOWRUNNER_EDGE_KVS_ARN_PARAMETER');
    if (pathwaysParameter) {
      parameters[pathwaysParameter] = JSON.stringify([
        { id: 'edge-a', baseUrl: `${stub.endpoint}/edge-a` },
        { id: 'edge-b', baseUrl: `${stub.endpoint}/edge-b` },
      ]);
    }
    if (kvsParameter) {
      parameters[kvsParameter] =
        anyVariable('SHOWRUNNER_EDGE_KVS_ARN') ??
        `arn:aws:cloudfront::${STUB_ACCOUNT}:key-value-store/00000000-bench-4000-8000-000000000001`;
    }
    const token = await cognitoAccessToken({
      region: STUB_REGION,
      userPoolId: anyVariable('SHOWRUNNER_USER_POOL_ID') ?? `${STUB_REGION}_BenchPool1`,
      clientId: anyVariable('SHOWRUNNER_USER_POOL_CLIENT_ID') ?? 'benchclient0000000000000001',
    });
    world.jwks = token.jwks;
    say(`stub at ${stub.endpoint} (${stub.transport}), X-Ray segments to ${stub.xrayDaemonAddress}`);

    const routes = await routeInfos();
    const playlistToken = await playlistTokenFor(secret);
    const jobSettings = await jobSettingsForBench();

    // 3. Subjects: every function, the baseline, and the SDK-only modules.
    const specDir = join(workDir, 'specs');
    mkdirSync(specDir, { recursive: true });
    const makeSubject = (name: string, fn: HouseFunction, bundleDir: string, event: unknown): Subject => {
      const functionName = resolver.nameOf(fn);
      const specFile = join(specDir, `${name}.json`);
      writeFileSync(
        specFile,
        JSON.stringify({
          bundle: join(bundleDir, 'index.mjs'),
          event,
          context: {
            awsRequestId: '00000000-bench-4000-8000-000000000001',
            functionName,
            functionVersion: '$LATEST',
            invokedFunctionArn: `arn:aws:lambda:${STUB_REGION}:${STUB_ACCOUNT}:function:${functionName}`,
            memoryLimitInMB: String(fn.memorySize),
            logGroupName: `/aws/lambda/${functionName}`,
            logStreamName: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
            timeoutMs: fn.timeoutSec * 1000,
          },
          redirectHttps: stub?.endpoint,
          resolveLocalhost: true,
          runtimeModules: RUNTIME_MODULES,
        }),
      );
      const env = lambdaEnvironment({
        functionName,
        variables: resolver.variablesOf(fn),
        fn,
        bundleDir,
        stubEndpoint: stub?.endpoint ?? '',
        stubKeyValueStoreEndpoint: stub?.keyValueStoreEndpoint ?? '',
        stubCaFile: stub?.caFile,
        xrayDaemonAddress: stub?.xrayDaemonAddress ?? '127.0.0.1:2000',
      });
      return { name, bundleDir, env, specFile };
    };

    const rows: Row[] = selected.map((fn) => {
      const built = fn.bundleError === undefined && fn.assetDir !== '';
      const sizes = built ? sizesOf(fn.assetDir) : { indexBytes: 0, dirBytes: 0, files: [] };
      const sdk = built ? sdkOf(fn.assetDir) : { imports: [], bundled: false };
      const { event, kind } = benchEvent(fn.functionId, {
        route: routes.get(fn.functionId),
        playlistToken,
        accessToken: token.bearer,
        jobSettings,
        account: STUB_ACCOUNT,
        region: STUB_REGION,
      });
      return {
        fn,
        ...sizes,
        sdkImports: sdk.imports,
        sdkBundled: sdk.bundled,
        sdkKey: sdk.imports.join(' '),
        eventKind: kind,
        subject: built ? makeSubject(fn.functionId, fn, fn.assetDir, event) : undefined,
        failure: built ? undefined : `bundle: ${fn.bundleError ?? 'not built'}`,
        warmOutcome: '',
        calls: '',
        runs: [],
      };
    });
    // The baseline runs as a 512 MB function whose only variables are the house construct's own.
    const model = synth.functions.find((f) => f.bundleError === undefined) ?? synth.functions[0];
    if (!model) throw new Error('the synthesized app has no house function');
    const baselineFn: HouseFunction = {
      ...model,
      functionId: 'baseline',
      memorySize: 512,
      variables: {
        ...(model.variables.NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: model.variables.NODE_OPTIONS }),
        POWERTOOLS_SERVICE_NAME: 'baseline',
      },
    };
    const baselineSubject = makeSubject('baseline', baselineFn, baseline.assetDir, {});
    const baselineSizes = sizesOf(baseline.assetDir);

    const sdkSubjects = new Map<string, Subject>();
    for (const row of rows) {
      if (!row.subject || row.sdkImports.length === 0 || sdkSubjects.has(row.sdkKey)) continue;
      const dir = join(workDir, 'sdk-only', String(sdkSubjects.size + 1));
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'index.mjs'),
        `${row.sdkImports.map((name) => `import ${JSON.stringify(name)};`).join('\n')}\nexport const handler = async () => ({});\n`,
      );
      sdkSubjects.set(row.sdkKey, makeSubject(`sdk-only-${sdkSubjects.size + 1}`, baselineFn, dir, {}));
    }

    // 4. Warm-up: every subject once, untimed; a function that cannot run is reported and left out.
    say(
      `warm-up: ${rows.filter((r) => r.subject).length} functions, the baseline, ${sdkSubjects.size} SDK-only modules`,
    );
    const baselineWarm = await coldStart(baselineSubject);
    if (baselineWarm.outcome.kind === 'threw' || baselineWarm.outcome.kind === 'init-error') {
      throw new Error(`the baseline did not run: ${describeOutcome(baselineWarm.outcome)}`);
    }
    stub.takeCalls();
    for (const row of rows) {
      if (!row.subject) continue;
      try {
        const run = await coldStart(row.subject);
        row.warmOutcome = describeOutcome(run.outcome);
        if (run.outcome.kind === 'init-error') row.failure = `init: ${run.outcome.error}`;
      } catch (error) {
        row.failure = `run: ${(error as Error).message}`;
      }
      row.calls = describeCalls(stub.takeCalls().filter((c) => c !== 'xray.segment'));
      say(`  ${row.fn.functionId}: ${row.failure ?? `${row.warmOutcome}; calls: ${row.calls}`}`);
    }
    const sdkRuns = new Map<string, ColdStart[]>([...sdkSubjects.keys()].map((k) => [k, []]));
    for (const [key, subject] of sdkSubjects) {
      try {
        const run = await coldStart(subject);
        if (run.outcome.kind === 'init-error') throw new Error(run.outcome.error);
      } catch (error) {
        say(`  SDK-only module for ${key} failed: ${(error as Error).message}`);
        sdkSubjects.delete(key);
      }
    }
    stub.takeCalls();

    // 5. Measured rounds.
    const measured = rows.filter((r) => r.subject && !r.failure);
    const baselineRuns: ColdStart[] = [];
    const sdkList = [...sdkSubjects];
    say(`measuring: ${RUNS} rounds of ${roundSchedule(0, measured, sdkList).length} cold starts`);
    const roundStarted = performance.now();
    for (let round = 0; round < RUNS; round += 1) {
      for (const item of roundSchedule(round, measured, sdkList)) {
        // A baseline or SDK-only run that fails (the machine, not a function) loses that sample only.
        if (item.kind === 'baseline') {
          await coldStart(baselineSubject).then(
            (run) => baselineRuns.push(run),
            (error: Error) => say(`  baseline run failed: ${error.message}`),
          );
        } else if (item.kind === 'sdk') {
          await coldStart(item.subject).then(
            (run) => sdkRuns.get(item.key)?.push(run),
            (error: Error) => say(`  SDK-only run failed: ${error.message}`),
          );
        } else if (item.row.subject && !item.row.failure) {
          try {
            item.row.runs.push(await coldStart(item.row.subject));
          } catch (error) {
            item.row.failure = `run ${round + 1}: ${(error as Error).message}`;
          }
        }
      }
      stub.takeCalls();
      say(
        `  round ${round + 1}/${RUNS} done (${round1((performance.now() - roundStarted) / 1000)} s, baseline median so far ${round1(median(baselineRuns.map((r) => r.totalMs)))} ms, load ${round2(loadavg()[0] ?? 0)})`,
      );
    }

    // Optional: where the CPU time of a cold start goes.
    const profiles: Record<string, { totalMs: number; shares: ProfileShare[] }> = {};
    for (const id of PROFILE) {
      const row = rows.find((r) => r.fn.functionId === id);
      if (!row?.subject || row.failure) {
        say(`BENCH_PROFILE: ${id} is not a measured function`);
        continue;
      }
      const dir = join(workDir, 'profiles', id);
      mkdirSync(dir, { recursive: true });
      try {
        await coldStart(row.subject, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir]);
        profiles[id] = attributeProfile(dir, join(row.subject.bundleDir, 'index.mjs'));
      } catch (error) {
        say(`BENCH_PROFILE: ${id}: ${(error as Error).message}`);
      }
    }
    stub.takeCalls();

    const { text, summary } = report({
      rows,
      baselineRuns,
      baselineWarm,
      baselineSizes,
      sdkRuns,
      profiles,
      stubTransport: stub.transport,
      synthMs: synth.synthMs,
      loadBefore: loadBefore[0] ?? 0,
    });
    process.stdout.write(`${text}\n${JSON.stringify(summary)}\n`);
  } finally {
    await stub?.close();
    if (KEEP) say(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

interface ReportInput {
  readonly rows: readonly Row[];
  readonly baselineRuns: readonly ColdStart[];
  readonly baselineWarm: ColdStart;
  readonly baselineSizes: { indexBytes: number; dirBytes: number };
  readonly sdkRuns: ReadonlyMap<string, ColdStart[]>;
  readonly profiles: Record<string, { totalMs: number; shares: ProfileShare[] }>;
  readonly stubTransport: string;
  readonly synthMs: number;
  readonly loadBefore: number;
}

/** The table and the JSON summary from every run. */
function report(input: ReportInput): { text: string; summary: Record<string, unknown> } {
  const { rows, baselineRuns, baselineWarm, baselineSizes, sdkRuns, profiles } = input;
  // 6. Figures.
  const baselineMs = median(baselineRuns.map((r) => r.totalMs));
  const baselineRuntimeMs = median(baselineRuns.map((r) => r.runtimeMs));
  const baselineBootMs = median(baselineRuns.map((r) => r.bootMs));
  const sdkImportMs = new Map(
    [...sdkRuns]
      .filter(([, runs]) => runs.length > 0)
      .map(([key, runs]) => [key, median(runs.map((r) => r.importMs))]),
  );
  const results = rows.map((row) => {
    const ok = row.runs.length > 0 && !row.failure;
    const initMs = ok ? median(row.runs.map((r) => r.totalMs)) : Number.NaN;
    return {
      row,
      ok,
      initMs,
      ratio: initMs / baselineMs,
      importMs: ok ? median(row.runs.map((r) => r.importMs)) : Number.NaN,
      callMs: ok ? median(row.runs.map((r) => r.callMs)) : Number.NaN,
      sdkMs: sdkImportMs.get(row.sdkKey),
    };
  });
  const built = rows.filter((r) => r.indexBytes > 0);
  const measuredResults = results.filter((r) => r.ok);
  const failed = results.filter((r) => !r.ok);
  const ratio = median(measuredResults.map((r) => r.ratio));
  const maxBundleKB = Math.max(...built.map((r) => r.indexBytes / KB));
  const medianBundleKB = median(built.map((r) => r.indexBytes / KB));

  // 7. Report.
  const out: string[] = [];
  out.push(
    `Lambda bundles and cold starts: ${measuredResults.length} functions measured, ${failed.length} failed; ` +
      `${RUNS} runs each, medians; baseline (empty handler) ${round1(baselineMs)} ms ` +
      `(Node boot ${round1(baselineBootMs)} ms, runtime modules ${round1(baselineRuntimeMs)} ms), ` +
      `bundle ${round1(baselineSizes.indexBytes / KB)} KB. KB = 1024 bytes.`,
  );
  out.push(
    `"bundle KB" is index.mjs, what the runtime loads; "asset KB" is the whole asset directory as uploaded ` +
      `(index.mjs + index.mjs.map + copied files, unzipped). "init ms" = process start to the end of the first call; ` +
      `"SDK ms" = import time of a module importing only the same runtime @aws-sdk/* packages.`,
  );
  out.push('');
  const header = [
    'function',
    'bundle KB',
    'asset KB',
    'init ms',
    'ratio',
    'import ms',
    'SDK ms',
    'call ms',
    'event',
    'first call answered',
  ];
  const table = [...results]
    .sort((a, b) => (b.ok ? b.ratio : -1) - (a.ok ? a.ratio : -1) || b.row.indexBytes - a.row.indexBytes)
    .map((r) => [
      r.row.fn.functionId,
      r.row.indexBytes > 0 ? round1(r.row.indexBytes / KB).toFixed(1) : '-',
      r.row.dirBytes > 0 ? round1(r.row.dirBytes / KB).toFixed(1) : '-',
      r.ok ? round1(r.initMs).toFixed(1) : 'FAILED',
      r.ok ? round2(r.ratio).toFixed(2) : '-',
      r.ok ? round1(r.importMs).toFixed(1) : '-',
      r.row.sdkBundled ? 'bundled' : r.ok && r.sdkMs !== undefined ? round1(r.sdkMs).toFixed(1) : '-',
      r.ok ? round1(r.callMs).toFixed(1) : '-',
      r.row.eventKind,
      r.ok ? r.row.warmOutcome : '',
    ]);
  table.push([
    'baseline (empty)',
    round1(baselineSizes.indexBytes / KB).toFixed(1),
    round1(baselineSizes.dirBytes / KB).toFixed(1),
    round1(baselineMs).toFixed(1),
    '1.00',
    round1(median(baselineRuns.map((r) => r.importMs))).toFixed(1),
    '-',
    round1(median(baselineRuns.map((r) => r.callMs))).toFixed(1),
    '{}',
    describeOutcome(baselineWarm.outcome),
  ]);
  out.push(...formatTable(header, table));
  out.push('');
  out.push('Calls each function made in its first call (answered by the stub):');
  for (const r of results.filter((x) => x.ok)) out.push(`  ${r.row.fn.functionId}: ${r.row.calls}`);
  const extraFiles = built.filter((r) => r.files.some((f) => f !== 'index.mjs' && f !== 'index.mjs.map'));
  if (extraFiles.length > 0) {
    out.push('Asset directories with more than index.mjs and its map:');
    for (const r of extraFiles) out.push(`  ${r.fn.functionId}: ${r.files.join(', ')}`);
  }
  if (failed.length > 0) {
    out.push('');
    out.push(`FAILED (${failed.length}), not measured:`);
    for (const r of failed) out.push(`  ${r.row.fn.functionId}: ${r.row.failure ?? 'no run'}`);
  }
  for (const [id, { totalMs, shares }] of Object.entries(profiles)) {
    out.push('');
    out.push(
      `CPU profile of one cold start of ${id} (--cpu-prof, 100 µs samples; ${totalMs} ms sampled, profiler overhead included), self time by origin:`,
    );
    for (const share of shares.slice(0, 14)) {
      out.push(
        `  ${share.ms.toFixed(1).padStart(7)} ms  ${Math.round((100 * share.ms) / totalMs)
          .toString()
          .padStart(3)} %  ${share.what}`,
      );
    }
  }
  out.push('');
  const met =
    failed.length === 0 &&
    ratio <= TARGET_RATIO &&
    maxBundleKB <= TARGET_MAX_BUNDLE_KB &&
    medianBundleKB <= TARGET_MEDIAN_BUNDLE_KB;
  const summary = {
    bench: 'lambda',
    ratio: round2(ratio),
    target: TARGET_RATIO,
    maxBundleKB: round1(maxBundleKB),
    medianBundleKB: round1(medianBundleKB),
    met,
    targets: {
      ratio: TARGET_RATIO,
      maxBundleKB: TARGET_MAX_BUNDLE_KB,
      medianBundleKB: TARGET_MEDIAN_BUNDLE_KB,
    },
    metEach: {
      ratio: ratio <= TARGET_RATIO,
      maxBundleKB: maxBundleKB <= TARGET_MAX_BUNDLE_KB,
      medianBundleKB: medianBundleKB <= TARGET_MEDIAN_BUNDLE_KB,
      allFunctionsMeasured: failed.length === 0,
    },
    baselineMs: round1(baselineMs),
    baselineRuntimeModulesMs: round1(baselineRuntimeMs),
    baselineBundleKB: round1(baselineSizes.indexBytes / KB),
    medianInitMs: round1(median(measuredResults.map((r) => r.initMs))),
    maxAssetKB: round1(Math.max(...built.map((r) => r.dirBytes / KB))),
    functions: rows.length,
    measured: measuredResults.length,
    failed: failed.map((r) => ({
      function: r.row.fn.functionId,
      error: (r.row.failure ?? '').slice(0, 300),
    })),
    worstRatio: [...measuredResults]
      .sort((a, b) => b.ratio - a.ratio)
      .slice(0, 5)
      .map((r) => ({ function: r.row.fn.functionId, ratio: round2(r.ratio), initMs: round1(r.initMs) })),
    largestBundles: [...built]
      .sort((a, b) => b.indexBytes - a.indexBytes)
      .slice(0, 5)
      .map((r) => ({ function: r.fn.functionId, KB: round1(r.indexBytes / KB) })),
    runs: RUNS,
    baselineRuns: baselineRuns.length,
    aggregate: 'median',
    stub: input.stubTransport,
    runtimeModules: RUNTIME_MODULES,
    node: process.versions.node,
    synthSec: round1(input.synthMs / 1000),
    cores: availableParallelism(),
    loadavg: [input.loadBefore, round2(loadavg()[0] ?? 0)],
    ...(ONLY.length > 0 ? { only: ONLY } : {}),
    ...(PROFILE.length > 0
      ? {
          profiles: Object.fromEntries(
            Object.entries(profiles).map(([id, p]) => [
              id,
              { sampledMs: p.totalMs, top: p.shares.slice(0, 8) },
            ]),
          ),
        }
      : {}),
  };
  return { text: out.join('\n'), summary };
}

/**
 * One round's order: the functions rotated by the round (so none is always first or last), a
 * baseline run before every BASELINE_EVERY-th function, the SDK-only modules spread among them.
 */
function roundSchedule(
  round: number,
  rows: readonly Row[],
  sdk: readonly [string, Subject][],
): (
  | { kind: 'baseline' }
  | { kind: 'sdk'; key: string; subject: Subject }
  | { kind: 'function'; row: Row }
)[] {
  const shift = rows.length === 0 ? 0 : (round * 7) % rows.length;
  const order = [...rows.slice(shift), ...rows.slice(0, shift)];
  const sdkShift = sdk.length === 0 ? 0 : round % sdk.length;
  const sdkOrder = [...sdk.slice(sdkShift), ...sdk.slice(0, sdkShift)];
  const sdkEvery = Math.max(1, Math.floor(order.length / Math.max(1, sdkOrder.length)));
  const schedule: ReturnType<typeof roundSchedule> = [];
  order.forEach((row, i) => {
    if (i % BASELINE_EVERY === 0) schedule.push({ kind: 'baseline' });
    const next = i % sdkEvery === 0 ? sdkOrder.shift() : undefined;
    if (next) schedule.push({ kind: 'sdk', key: next[0], subject: next[1] });
    schedule.push({ kind: 'function', row });
  });
  if (order.length === 0) schedule.push({ kind: 'baseline' });
  for (const [key, subject] of sdkOrder) schedule.push({ kind: 'sdk', key, subject });
  return schedule;
}

function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = new Set([1, 2, 3, 4, 5, 6, 7]);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Method, path and auth of every routed function, from the route declaration. */
async function routeInfos(): Promise<Map<string, RouteInfo>> {
  const { ROUTE_DECLARATIONS } = await import('../lambdas/contracts/routes.ts');
  return new Map(
    Object.entries(ROUTE_DECLARATIONS as Record<string, RouteInfo>).map(([id, r]) => [
      id,
      { method: r.method, path: r.path, auth: r.auth },
    ]),
  );
}

/**
 * A valid `?token=` for the bench session, signed with the stub's secret by playback's own signer,
 * so the playlist and steering functions get past the token to their session lookup.
 */
async function playlistTokenFor(secret: string): Promise<string | undefined> {
  try {
    const { signPlaylistToken } = await import('../lambdas/playback/domain/playlist-token.ts');
    return signPlaylistToken({
      key: { kid: 'k1', secret },
      sessionId: IDS.sessionId,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    } as Parameters<typeof signPlaylistToken>[0]);
  } catch (error) {
    say(`no playlist token (${(error as Error).message}): getMasterPlaylist and getSteering will answer 403`);
    return undefined;
  }
}

/** The MediaConvert settings the planner makes for a 1080p source, for `verifyOutputs`' event. */
async function jobSettingsForBench(): Promise<unknown> {
  try {
    const { planLadder } = await import('../lambdas/media-pipeline/domain/ladder.ts');
    const { buildTranscodeJobSettings } = await import('../lambdas/media-pipeline/domain/job-settings.ts');
    return buildTranscodeJobSettings({
      sourceUri: 's3://showrunner-data-ingestbucket/sources/job-bench-0001/bench.mp4',
      captions: [],
      destinationUri: `s3://showrunner-data-mediabucket/media/${IDS.titleId}/${IDS.jobId}/`,
      ladder: planLadder(PROBE),
    });
  } catch (error) {
    say(`no job settings (${(error as Error).message}): verifyOutputs gets an empty plan`);
    return undefined;
  }
}

main().catch((error: unknown) => {
  say(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
