/**
 * API benchmark: how much slower is an endpoint, called through the local gateway, than the
 * DynamoDB work it does, called directly with the SDK? See bench/README.md for what is counted.
 *
 * One run: start the embedded platform on a temporary data directory; as the administrator
 * create one movie live in the US per connection; sign up a viewer and make a profile. Then, for
 * each endpoint in turn:
 *
 * 1. warm: per title, as many simultaneous requests as a function has execution environments,
 *    until a pass makes no internal call (every environment has the profile and titles cached),
 *    then BENCH_WARMUP_SECONDS of load on each side;
 * 2. unloaded (information, not the target): one connection, and the raw operation one at a
 *    time, BENCH_UNLOADED_SECONDS each, alternating in two slices per side;
 * 3. measured: BENCH_SECONDS per side, in BENCH_SLICES slices alternating endpoint and raw (E R R
 *    E E R …), so a change in the machine's load while the benchmark runs weighs on both sides
 *    alike; each side's latencies are pooled over its slices.
 *    - endpoint: autocannon, BENCH_CONNECTIONS connections, from a child process (so the load
 *      generator does not share the gateway's event loop); connection i works on movie i, as one
 *      viewer per title would. Heartbeat: `PUT /v1/profiles/{profileId}/history/{titleId}`, every
 *      request with a larger `clientTs` and a new position (`setupRequest`). Title:
 *      `GET /v1/titles/{titleId}`. The caches are checked (and refilled) before each slice.
 *    - raw: what the endpoint does in DynamoDB per request, on the same table and items with the
 *      same expressions, with the SDK straight against the platform's DynamoDB Local,
 *      BENCH_CONNECTIONS in flight (loop i on item i). Heartbeat: one conditional UpdateItem
 *      (lambdas/history/adapters/history-table.ts `record`). Title: one GetItem
 *      (lambdas/catalog/adapters/titles-table.ts `get`; a movie, so no Query).
 *
 * ratio = endpoint p50 / raw p50 per endpoint; the headline ratio is the larger of the two.
 * Latencies are per request (autocannon's float timings), percentiles by nearest rank. Lambda
 * invocations during the endpoint slices are counted, so a run that missed a cache (an internal
 * call, an authorizer call) shows it. The last line of stdout is one JSON object; progress goes
 * to stderr. Exits 0 whatever the ratio (`met` says whether the target was met), 1 on errors.
 *
 * Env: BENCH_SECONDS (per side and endpoint, default 20), BENCH_SLICES (default 4),
 * BENCH_CONNECTIONS (default 50), BENCH_WARMUP_SECONDS (default 3), BENCH_UNLOADED_SECONDS
 * (default 5).
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { FINISHED_RATIO } from '../lambdas/contracts/api/history.ts';
import { TABLES } from '../lambdas/contracts/tables.ts';
import { LOCAL_REGION } from '../local/assembly.ts';
import { adminFromEnv } from '../local/defaults.ts';
import { LOCAL_CREDENTIALS } from '../local/emulators/dynamodb.ts';
import { type Platform, startPlatform } from '../local/platform.ts';
import { onFreePorts } from '../test/support/platform.ts';

const TARGET = 3;
const CONNECTIONS = positiveIntEnv('BENCH_CONNECTIONS', 50);
const SECONDS = positiveIntEnv('BENCH_SECONDS', 20);
const SLICES = positiveIntEnv('BENCH_SLICES', 4);
const SLICE_SECONDS = Math.ceil(SECONDS / SLICES);
const WARMUP_SECONDS = positiveIntEnv('BENCH_WARMUP_SECONDS', 3);
const UNLOADED_SECONDS = positiveIntEnv('BENCH_UNLOADED_SECONDS', 5);
/** Execution environments per function in the local runtime (`maxConcurrency` in local/lambda/runtime.ts). */
const ENVIRONMENTS_PER_FUNCTION = 4;
const MAX_WARM_PASSES = 5;
const DURATION_SEC = 3600;
const LOAD_MODE = '--load';

const say = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};
const round2 = (n: number): number => Math.round(n * 100) / 100;
const load1 = (): number => round2(loadavg()[0] ?? 0);

function positiveIntEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, not "${raw}".`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Latency summaries
// ---------------------------------------------------------------------------------------------

interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

/** Nearest-rank percentiles over every sample (a few hundred thousand at most: a sort is fine). */
function summarize(samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50Ms: round2(at(0.5)),
    p99Ms: round2(at(0.99)),
    meanMs: round2(sorted.length > 0 ? sum / sorted.length : 0),
  };
}

// ---------------------------------------------------------------------------------------------
// The load generator: autocannon in a child process
// ---------------------------------------------------------------------------------------------

interface LoadSpec {
  readonly url: string;
  readonly method: 'GET' | 'PUT';
  /** Connection i requests paths[i % paths.length]: one item per connection, as one viewer per title. */
  readonly paths: readonly string[];
  readonly headers: Record<string, string>;
  readonly connections: number;
  readonly seconds: number;
  /** Heartbeat bodies: each request gets the next client timestamp from here on. */
  readonly heartbeatFromTs?: number;
}

interface LoadResult {
  /** Every response's latency, ms. */
  readonly samples: number[];
  readonly durationSec: number;
  readonly statuses: Record<string, number>;
  readonly non2xx: number;
  /** Connection errors and timeouts (no status at all). */
  readonly errors: number;
  /** The last client timestamp sent (heartbeats), so later writes keep moving forward. */
  readonly lastClientTs: number | undefined;
  readonly cpuSec: number;
}

/** Runs in the child: one autocannon run, every response's latency kept. */
async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let nextTs = spec.heartbeatFromTs;
  let beats = 0;
  let connection = 0;
  const requestFor = (path: string): autocannon.Request => {
    const request: autocannon.Request = { method: spec.method, path, headers: spec.headers };
    if (nextTs !== undefined) {
      request.setupRequest = (req) => {
        const clientTs = nextTs ?? 0;
        nextTs = clientTs + 1;
        beats += 1;
        return { ...req, body: JSON.stringify(heartbeatBody(beats, clientTs)) };
      };
    }
    return request;
  };
  const cpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        requests: [requestFor(spec.paths[0] ?? '/')],
        setupClient: (client) => {
          const path = spec.paths[connection % spec.paths.length] ?? '/';
          connection += 1;
          client.setRequests([requestFor(path)]);
        },
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      samples.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    samples,
    durationSec: result.duration,
    statuses,
    non2xx: result.non2xx,
    errors: result.errors,
    lastClientTs: nextTs === undefined ? undefined : nextTs - 1,
    cpuSec: (cpu.user + cpu.system) / 1e6,
  };
}

function heartbeatBody(beat: number, clientTs: number) {
  return { positionSec: beat % (DURATION_SEC - 60), durationSec: DURATION_SEC, clientTs };
}

/** Runs `spec` in a child process; resolves with its result once the child has exited. */
function loadFromChild(spec: LoadSpec): Promise<LoadResult & { pid: number | undefined }> {
  const child = fork(fileURLToPath(import.meta.url), [LOAD_MODE], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: LoadResult | undefined;
    child.once('message', (message) => {
      result = message as LoadResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0 && result) resolve({ ...result, pid: child.pid });
      else reject(new Error(`The load generator exited with ${code}.`));
    });
    child.send(spec);
  });
}

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc; elsewhere only this process). The machine is shared: these show
// how much of a difference is work and how much is waiting for a core.
// ---------------------------------------------------------------------------------------------

const CLOCK_TICKS = 100;

function processCpuSec(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds so far: this process and its children but `except` (DynamoDB Local, in practice). */
function cpuNow(except?: number): { node: number; dynamo: number } {
  const own = process.cpuUsage();
  let dynamo = 0;
  try {
    for (const task of readdirSync('/proc/self/task')) {
      const children = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
      for (const pid of children === '' ? [] : children.split(/\s+/).map(Number)) {
        if (pid !== except) dynamo += processCpuSec(pid);
      }
    }
  } catch {
    // No /proc: this process only.
  }
  return { node: (own.user + own.system) / 1e6, dynamo };
}

/** CPU seconds spent by one side, summed over its slices. */
interface CpuUse {
  /** This process: the gateway, the Lambda worker threads, the invoke API; the SDK client in raw slices. */
  platformSec: number;
  /** DynamoDB Local (the JVM). */
  dynamoSec: number;
  loadGeneratorSec: number;
}

// ---------------------------------------------------------------------------------------------
// Raw DynamoDB runs
// ---------------------------------------------------------------------------------------------

type RawOp = (loop: number) => Promise<'ok' | 'condition-failed'>;

interface RawResult {
  readonly samples: number[];
  readonly durationSec: number;
  /** Heartbeats refused by the condition (an older clientTs arrived after a newer one). */
  readonly conditionFailures: number;
}

/**
 * `concurrency` loops issuing `op` back to back for `seconds` (loop i works on item i, as connection
 * i does through the gateway); any error aborts the benchmark.
 */
async function rawRun(op: RawOp, concurrency: number, seconds: number): Promise<RawResult> {
  const samples: number[] = [];
  let conditionFailures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const outcome = await op(loop);
        samples.push(performance.now() - t0);
        if (outcome === 'condition-failed') conditionFailures += 1;
      }
    }),
  );
  return { samples, durationSec: (performance.now() - started) / 1000, conditionFailures };
}

interface HeartbeatTarget {
  readonly tableName: string;
  readonly profileKey: string;
  readonly title: BenchTitle;
}

/**
 * The heartbeat's DynamoDB work, as `dynamoHistoryStore(...).record` issues it for a movie: one
 * UpdateItem that sets every written attribute, conditional on the stored clientTs being older,
 * returning the new item (or the stored one when the condition fails).
 */
async function heartbeatUpdate(
  db: DynamoDBDocumentClient,
  target: HeartbeatTarget,
  beat: number,
  clientTs: number,
): Promise<'ok' | 'condition-failed'> {
  const body = heartbeatBody(beat, clientTs);
  const written: Record<string, unknown> = {
    positionSec: body.positionSec,
    durationSec: body.durationSec,
    clientTs,
    updatedAt: new Date().toISOString(),
    finished: body.positionSec >= FINISHED_RATIO * body.durationSec,
    titleName: target.title.name,
  };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  for (const [field, value] of Object.entries(written)) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  try {
    await db.send(
      new UpdateCommand({
        TableName: target.tableName,
        Key: historyKey(target.profileKey, target.title.titleId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_not_exists(#clientTs) OR #clientTs <= :clientTs',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'ok';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'condition-failed';
    throw error;
  }
}

function historyKey(profileKey: string, titleId: string): Record<string, string> {
  return { [TABLES.history.partitionKey]: profileKey, [TABLES.history.sortKey]: titleId };
}

// ---------------------------------------------------------------------------------------------
// Set-up through the API
// ---------------------------------------------------------------------------------------------

async function call<T>(
  gatewayUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; expect: number },
): Promise<T> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (response.status !== options.expect) {
    throw new Error(
      `${method} ${path}: expected ${options.expect}, got ${response.status}: ${text.slice(0, 500)}`,
    );
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

async function login(gatewayUrl: string, email: string, password: string): Promise<string> {
  const { accessToken } = await call<{ accessToken: string }>(gatewayUrl, 'POST', '/v1/auth/login', {
    body: { email, password },
    expect: 200,
  });
  return accessToken;
}

interface BenchTitle {
  readonly titleId: string;
  readonly name: string;
}

interface Fixture {
  readonly viewerToken: string;
  readonly accountId: string;
  readonly profileId: string;
  /** One movie per connection. */
  readonly titles: readonly BenchTitle[];
}

async function createFixture(
  platform: Platform,
  admin: { email: string; password: string },
): Promise<Fixture> {
  const { gatewayUrl } = platform.info;
  const adminToken = await login(gatewayUrl, admin.email, admin.password);
  const titles: BenchTitle[] = [];
  for (let i = 1; i <= CONNECTIONS; i += 1) {
    const name = `Benchmark Movie ${String(i).padStart(3, '0')}`;
    const { titleId } = await call<{ titleId: string }>(gatewayUrl, 'POST', '/v1/admin/titles', {
      token: adminToken,
      body: {
        name,
        synopsis: 'A title for the API benchmark.',
        genres: ['drama'],
        maturity: 'teen',
        availability: [{ countries: ['US'], from: '2000-01-01T00:00:00Z' }],
      },
      expect: 201,
    });
    titles.push({ titleId, name });
  }
  const email = `bench-${randomUUID()}@example.com`;
  const password = 'bench-password-1';
  const { accountId } = await call<{ accountId: string }>(gatewayUrl, 'POST', '/v1/auth/signup', {
    body: { email, password, country: 'US' },
    expect: 201,
  });
  const viewerToken = await login(gatewayUrl, email, password);
  const { profileId } = await call<{ profileId: string }>(gatewayUrl, 'POST', '/v1/profiles', {
    token: viewerToken,
    body: { name: 'Bench', maturity: 'adult' },
    expect: 201,
  });
  return { viewerToken, accountId, profileId, titles };
}

// ---------------------------------------------------------------------------------------------
// Lambda invocations, observed
// ---------------------------------------------------------------------------------------------

type InvocationCounts = Record<string, number>;

/**
 * Counts the platform's Lambda invocations by function id: routes, the authorizer (cache misses)
 * and internal calls between services all go through `platform.lambda.invoke`. Observed, never
 * altered.
 */
function countInvocations(platform: Platform): () => InvocationCounts {
  const counts: InvocationCounts = {};
  const invoke = platform.lambda.invoke.bind(platform.lambda);
  platform.lambda.invoke = (arnOrName, event) => {
    const id = platform.lambda.find(arnOrName)?.functionId ?? arnOrName;
    counts[id] = (counts[id] ?? 0) + 1;
    return invoke(arnOrName, event);
  };
  return () => ({ ...counts });
}

function addCounts(into: InvocationCounts, before: InvocationCounts, after: InvocationCounts): void {
  for (const [id, n] of Object.entries(after)) {
    const since = n - (before[id] ?? 0);
    if (since > 0) into[id] = (into[id] ?? 0) + since;
  }
}

const internalCalls = (counts: InvocationCounts): number =>
  Object.entries(counts).reduce((sum, [id, n]) => sum + (id.endsWith('Internal') ? n : 0), 0);

/**
 * Fills every execution environment's module-scope caches for every title: each pass sends, per
 * title, as many simultaneous requests as the function has environments, so each environment
 * serves one; passes repeat until one makes no internal call. Returns the passes it took.
 */
async function warmCaches(
  titles: readonly BenchTitle[],
  send: (title: BenchTitle) => Promise<unknown>,
  invocations: () => InvocationCounts,
): Promise<number> {
  for (let pass = 1; pass <= MAX_WARM_PASSES; pass += 1) {
    const before = invocations();
    for (const title of titles) {
      await Promise.all(Array.from({ length: ENVIRONMENTS_PER_FUNCTION }, () => send(title)));
    }
    const made: InvocationCounts = {};
    addCounts(made, before, invocations());
    if (internalCalls(made) === 0) return pass;
  }
  say(`caches still missing after ${MAX_WARM_PASSES} passes: the run will include internal calls`);
  return MAX_WARM_PASSES;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

type EndpointName = 'heartbeat' | 'title';

interface EndpointFigures {
  readonly endpoint: LatencySummary;
  readonly requestsPerSec: number;
  readonly statuses: Record<string, number>;
  readonly non2xx: number;
  readonly errors: number;
  /** Lambda invocations during the endpoint slices, by function id. */
  readonly invocations: InvocationCounts;
  readonly endpointCpu: CpuUse;
  readonly raw: LatencySummary;
  readonly rawOpsPerSec: number;
  readonly rawConditionFailures: number;
  readonly rawCpu: CpuUse;
  readonly ratio: number;
  /** One connection and one raw operation in flight: the cost of a request without queueing. */
  readonly unloaded: {
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly non2xx: number;
    readonly rawP50Ms: number;
    readonly rawP99Ms: number;
    readonly ratio: number;
  };
}

interface EndpointPlan {
  readonly name: EndpointName;
  readonly spec: (seconds: number, connections: number) => LoadSpec;
  readonly sendOne: (title: BenchTitle) => Promise<unknown>;
  readonly rawOp: RawOp;
  /** Heartbeats: keeps client timestamps growing after a load run. */
  readonly afterLoad: (result: LoadResult) => void;
}

/** E R, R E, E R, …: a drift in the machine's load weighs on both sides alike. */
async function alternate(
  slices: number,
  endpointSlice: (slice: number) => Promise<void>,
  rawSlice: (slice: number) => Promise<void>,
): Promise<void> {
  for (let slice = 0; slice < slices; slice += 1) {
    if (slice % 2 === 0) {
      await endpointSlice(slice);
      await rawSlice(slice);
    } else {
      await rawSlice(slice);
      await endpointSlice(slice);
    }
  }
}

async function measure(
  plan: EndpointPlan,
  titles: readonly BenchTitle[],
  invocations: () => InvocationCounts,
): Promise<EndpointFigures> {
  const { name } = plan;
  // Warm right before measuring: Lambda environments, the authorizer cache, history's caches.
  const passes = await warmCaches(titles, plan.sendOne, invocations);
  say(`${name}: caches warm after ${passes} pass(es); warm-up, ${WARMUP_SECONDS} s per side`);
  plan.afterLoad(await loadFromChild(plan.spec(WARMUP_SECONDS, CONNECTIONS)));
  await rawRun(plan.rawOp, CONNECTIONS, WARMUP_SECONDS);

  // Unloaded: what a request costs without queueing; two slices per side, alternating too.
  const unloadedSamples: number[] = [];
  const rawUnloadedSamples: number[] = [];
  let unloadedNon2xx = 0;
  const unloadedSeconds = Math.ceil(UNLOADED_SECONDS / 2);
  await alternate(
    2,
    async () => {
      const result = await loadFromChild(plan.spec(unloadedSeconds, 1));
      plan.afterLoad(result);
      unloadedSamples.push(...result.samples);
      unloadedNon2xx += result.non2xx + result.errors;
    },
    async () => {
      rawUnloadedSamples.push(...(await rawRun(plan.rawOp, 1, unloadedSeconds)).samples);
    },
  );

  const endpointSamples: number[] = [];
  const rawSamples: number[] = [];
  const statuses: Record<string, number> = {};
  const invoked: InvocationCounts = {};
  const endpointCpu: CpuUse = { platformSec: 0, dynamoSec: 0, loadGeneratorSec: 0 };
  const rawCpu: CpuUse = { platformSec: 0, dynamoSec: 0, loadGeneratorSec: 0 };
  let endpointSec = 0;
  let rawSec = 0;
  let non2xx = 0;
  let errors = 0;
  let conditionFailures = 0;

  const endpointSlice = async (slice: number) => {
    await warmCaches(titles, plan.sendOne, invocations);
    say(`${name}: endpoint slice ${slice + 1}/${SLICES}, ${SLICE_SECONDS} s (load average ${load1()})`);
    const countsBefore = invocations();
    const cpuBefore = cpuNow();
    const result = await loadFromChild(plan.spec(SLICE_SECONDS, CONNECTIONS));
    const cpuAfter = cpuNow(result.pid);
    addCounts(invoked, countsBefore, invocations());
    plan.afterLoad(result);
    endpointSamples.push(...result.samples);
    endpointSec += result.durationSec;
    for (const [status, n] of Object.entries(result.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
    non2xx += result.non2xx;
    errors += result.errors;
    endpointCpu.platformSec += cpuAfter.node - cpuBefore.node;
    endpointCpu.dynamoSec += cpuAfter.dynamo - cpuBefore.dynamo;
    endpointCpu.loadGeneratorSec += result.cpuSec;
  };
  const rawSlice = async (slice: number) => {
    say(`${name}: raw slice ${slice + 1}/${SLICES}, ${SLICE_SECONDS} s (load average ${load1()})`);
    const cpuBefore = cpuNow();
    const result = await rawRun(plan.rawOp, CONNECTIONS, SLICE_SECONDS);
    const cpuAfter = cpuNow();
    rawSamples.push(...result.samples);
    rawSec += result.durationSec;
    conditionFailures += result.conditionFailures;
    rawCpu.platformSec += cpuAfter.node - cpuBefore.node;
    rawCpu.dynamoSec += cpuAfter.dynamo - cpuBefore.dynamo;
  };
  await alternate(SLICES, endpointSlice, rawSlice);

  const endpoint = summarize(endpointSamples);
  const raw = summarize(rawSamples);
  const unloadedEndpoint = summarize(unloadedSamples);
  const unloadedRaw = summarize(rawUnloadedSamples);
  const figures: EndpointFigures = {
    endpoint,
    requestsPerSec: round2(endpoint.count / endpointSec),
    statuses,
    non2xx,
    errors,
    invocations: invoked,
    endpointCpu: roundCpu(endpointCpu),
    raw,
    rawOpsPerSec: round2(raw.count / rawSec),
    rawConditionFailures: conditionFailures,
    rawCpu: roundCpu(rawCpu),
    ratio: round2(endpoint.p50Ms / raw.p50Ms),
    unloaded: {
      p50Ms: unloadedEndpoint.p50Ms,
      p99Ms: unloadedEndpoint.p99Ms,
      non2xx: unloadedNon2xx,
      rawP50Ms: unloadedRaw.p50Ms,
      rawP99Ms: unloadedRaw.p99Ms,
      ratio: round2(unloadedEndpoint.p50Ms / unloadedRaw.p50Ms),
    },
  };
  say(
    `${name}: endpoint p50 ${endpoint.p50Ms} ms (${figures.requestsPerSec} req/s), raw p50 ${raw.p50Ms} ms ` +
      `(${figures.rawOpsPerSec} op/s), ratio ${figures.ratio}; statuses ${JSON.stringify(statuses)}, ` +
      `invocations ${JSON.stringify(invoked)}`,
  );
  return figures;
}

function roundCpu(c: CpuUse): CpuUse {
  return {
    platformSec: round2(c.platformSec),
    dynamoSec: round2(c.dynamoSec),
    loadGeneratorSec: round2(c.loadGeneratorSec),
  };
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i] ?? 8)).join(' ');
}

function printTable(figures: Record<EndpointName, EndpointFigures>): void {
  const widths = [10, 9, 9, 9, 8, 7, 9, 9, 9, 6, 11, 11];
  const cpuPerOp = (c: CpuUse, n: number) =>
    n > 0 ? (((c.platformSec + c.dynamoSec + c.loadGeneratorSec) * 1000) / n).toFixed(2) : '-';
  const lines = [
    row(
      ['endpoint', 'p50 ms', 'p99 ms', 'req/s', 'non-2xx', 'errors'].concat([
        'raw p50',
        'raw p99',
        'raw op/s',
        'ratio',
        'CPU ms/req',
        'raw CPU/op',
      ]),
      widths,
    ),
  ];
  for (const [name, f] of Object.entries(figures)) {
    lines.push(
      row(
        [
          name,
          f.endpoint.p50Ms,
          f.endpoint.p99Ms,
          f.requestsPerSec,
          f.non2xx,
          f.errors,
          f.raw.p50Ms,
          f.raw.p99Ms,
          f.rawOpsPerSec,
          f.ratio,
          cpuPerOp(f.endpointCpu, f.endpoint.count),
          cpuPerOp(f.rawCpu, f.raw.count),
        ],
        widths,
      ),
    );
  }
  lines.push(
    'CPU ms per request or op: this process (gateway, Lambda workers, invoke API; the SDK client in the raw runs),',
    'DynamoDB Local and the load generator, summed.',
    '',
    row(['unloaded', 'p50 ms', 'p99 ms', 'raw p50', 'raw p99', 'ratio'], widths),
  );
  for (const [name, f] of Object.entries(figures)) {
    const u = f.unloaded;
    lines.push(row([name, u.p50Ms, u.p99Ms, u.rawP50Ms, u.rawP99Ms, u.ratio], widths));
  }
  lines.push(
    'unloaded: one connection, one raw operation in flight (not the target; the cost without queueing).',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function perEndpoint(f: EndpointFigures, dynamoOps: string) {
  return {
    ratio: f.ratio,
    p50Ms: f.endpoint.p50Ms,
    p99Ms: f.endpoint.p99Ms,
    requestsPerSec: f.requestsPerSec,
    requests: f.endpoint.count,
    non2xx: f.non2xx,
    errors: f.errors,
    statuses: f.statuses,
    rawP50Ms: f.raw.p50Ms,
    rawP99Ms: f.raw.p99Ms,
    rawOpsPerSec: f.rawOpsPerSec,
    rawOps: f.raw.count,
    rawConditionFailures: f.rawConditionFailures,
    dynamoOps,
    invocations: f.invocations,
    unloaded: f.unloaded,
    cpuSec: { endpoint: f.endpointCpu, raw: f.rawCpu },
  };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'showrunner-bench-api-'));
  const admin = adminFromEnv();
  const loadBefore = load1();
  say(
    `${availableParallelism()} CPUs, load average ${loadBefore}; ${CONNECTIONS} connections, ` +
      `${SLICES} × ${SLICE_SECONDS} s per side`,
  );
  const startedAt = performance.now();
  const platform = await startPlatform(onFreePorts(dataDir, { admin, log: (m) => say(`platform: ${m}`) }));
  say(
    `platform up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s at ${platform.info.gatewayUrl}`,
  );
  try {
    const { gatewayUrl, dynamoEndpoint } = platform.info;
    const invocations = countInvocations(platform);
    const fixture = await createFixture(platform, admin);
    say(`${fixture.titles.length} movies live in US, one viewer profile`);
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
      // As lambdas/shared/aws.ts configures the functions' client.
      { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
    );
    const tableOf = (constructId: string) => {
      const table = platform.assembly.tables.find((t) => t.constructId === constructId);
      if (!table) throw new Error(`The synthesized app has no ${constructId} table.`);
      return table.name;
    };
    const historyTable = tableOf(TABLES.history.constructId);
    const catalogTable = tableOf(TABLES.catalog.constructId);
    const profileKey = `${fixture.accountId}#${fixture.profileId}`;
    const titleAt = (i: number): BenchTitle => {
      const title = fixture.titles[i % fixture.titles.length];
      if (!title) throw new Error('No benchmark titles.');
      return title;
    };
    const auth = { authorization: `Bearer ${fixture.viewerToken}` };
    const heartbeatPath = (t: BenchTitle) => `/v1/profiles/${fixture.profileId}/history/${t.titleId}`;
    const titlePath = (t: BenchTitle) => `/v1/titles/${t.titleId}`;

    // Client timestamps only ever grow, across endpoint and raw writes alike.
    let nextClientTs = Date.now();
    const takeClientTs = () => {
      const clientTs = Math.max(nextClientTs, Date.now());
      nextClientTs = clientTs + 1;
      return clientTs;
    };
    let beat = 0;
    const heartbeat: EndpointPlan = {
      name: 'heartbeat',
      spec: (seconds, connections) => ({
        url: gatewayUrl,
        method: 'PUT',
        paths: fixture.titles.map(heartbeatPath),
        headers: { ...auth, 'content-type': 'application/json' },
        connections,
        seconds,
        heartbeatFromTs: takeClientTs(),
      }),
      sendOne: (t) =>
        call(gatewayUrl, 'PUT', heartbeatPath(t), {
          token: fixture.viewerToken,
          body: heartbeatBody(0, takeClientTs()),
          expect: 200,
        }),
      rawOp: (loop) => {
        beat += 1;
        const target = { tableName: historyTable, profileKey, title: titleAt(loop) };
        return heartbeatUpdate(db, target, beat, takeClientTs());
      },
      afterLoad: (result) => {
        if (result.lastClientTs !== undefined) nextClientTs = Math.max(nextClientTs, result.lastClientTs + 1);
      },
    };
    const title: EndpointPlan = {
      name: 'title',
      spec: (seconds, connections) => ({
        url: gatewayUrl,
        method: 'GET',
        paths: fixture.titles.map(titlePath),
        headers: auth,
        connections,
        seconds,
      }),
      sendOne: (t) => call(gatewayUrl, 'GET', titlePath(t), { token: fixture.viewerToken, expect: 200 }),
      rawOp: async (loop) => {
        const { titleId } = titleAt(loop);
        const { Item } = await db.send(new GetCommand({ TableName: catalogTable, Key: { titleId } }));
        if (!Item) throw new Error(`Title ${titleId} is not in ${catalogTable}.`);
        return 'ok';
      },
      afterLoad: () => undefined,
    };

    // One of each first: both answer 2xx, and the raw write leaves the item as the endpoint does.
    const first = titleAt(0);
    await heartbeat.sendOne(first);
    await title.sendOne(first);
    const attributes = async () => {
      const { Item } = await db.send(
        new GetCommand({
          TableName: historyTable,
          Key: historyKey(profileKey, first.titleId),
          ConsistentRead: true,
        }),
      );
      return Object.keys(Item ?? {})
        .sort()
        .join(',');
    };
    const endpointShape = await attributes();
    if ((await heartbeat.rawOp(0)) !== 'ok')
      throw new Error('The raw heartbeat was refused by its condition.');
    const rawShape = await attributes();
    if (endpointShape !== rawShape) {
      throw new Error(
        `The raw heartbeat writes [${rawShape}], the endpoint [${endpointShape}]: fix heartbeatUpdate.`,
      );
    }

    const figures = {
      heartbeat: await measure(heartbeat, fixture.titles, invocations),
      title: await measure(title, fixture.titles, invocations),
    };
    const loadAfter = load1();

    printTable(figures);
    process.stdout.write(
      `load average ${loadBefore} before, ${loadAfter} after, on ${availableParallelism()} CPUs.\n`,
    );
    const ratio = Math.max(figures.heartbeat.ratio, figures.title.ratio);
    const non2xx =
      figures.heartbeat.non2xx +
      figures.title.non2xx +
      figures.heartbeat.unloaded.non2xx +
      figures.title.unloaded.non2xx;
    const errors = figures.heartbeat.errors + figures.title.errors;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'api',
        ratio,
        target: TARGET,
        met: ratio <= TARGET && non2xx === 0 && errors === 0,
        heartbeat: perEndpoint(figures.heartbeat, 'UpdateItem (conditional, ReturnValues ALL_NEW)'),
        title: perEndpoint(figures.title, 'GetItem'),
        non2xx,
        errors,
        connections: CONNECTIONS,
        seconds: SLICE_SECONDS * SLICES,
        slices: SLICES,
        cpus: availableParallelism(),
        loadavg: [loadBefore, loadAfter],
      })}\n`,
    );
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === LOAD_MODE) {
  process.once('message', (spec) => {
    runLoad(spec as LoadSpec).then(
      (result) => process.send?.(result, () => process.disconnect()),
      (error: unknown) => {
        process.stderr.write(`[bench] load generator: ${(error as Error).stack ?? String(error)}\n`);
        process.exit(1);
      },
    );
  });
} else {
  main().catch((error: unknown) => {
    say(`failed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  });
}
