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
 *    - endpoint: autocannon, BENCH_CONNECTIONS connections, from a child process
 *      (support/api/load-generator.ts). Heartbeat: `PUT /v1/profiles/{profileId}/history/{titleId}`,
 *      every request with a larger `clientTs` and a new position. Title: `GET /v1/titles/{titleId}`.
 *      The caches are checked (and refilled) before each slice.
 *    - raw: what the endpoint does in DynamoDB per request, made by the service's own adapter with
 *      the functions' own SDK client, straight against the platform's DynamoDB Local,
 *      BENCH_CONNECTIONS in flight, loop i on item i (support/api/raw-operations.ts). Heartbeat:
 *      `dynamoHistoryStore(...).record`, one conditional UpdateItem. Title:
 *      `dynamoTitlesTable(...).get`, one GetItem (a movie, so no Query).
 *
 * ratio = endpoint p50 / raw p50 per endpoint; the headline ratio is the larger of the two.
 * Latencies are per request (autocannon's float timings), percentiles by nearest rank from
 * HdrHistogram (support/latency.ts). Lambda invocations during the endpoint slices are counted,
 * so a run that missed a cache (an internal call, an authorizer call) shows it. The last line of
 * stdout is one JSON object; progress goes to stderr. Exits 0 whatever the ratio (`met` says
 * whether the target was met), 1 on errors.
 *
 * Env: BENCH_SECONDS (per side and endpoint, default 20), BENCH_SLICES (default 4),
 * BENCH_CONNECTIONS (default 50), BENCH_WARMUP_SECONDS (default 3), BENCH_UNLOADED_SECONDS
 * (default 5).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../lambdas/contracts/tables.ts';
import { adminFromEnv } from '../local/defaults.ts';
import { type BenchTitle, createFixture, heartbeatBody } from './support/api/fixtures.ts';
import { addCounts, countInvocations, type InvocationCounts } from './support/api/invocations.ts';
import { type LoadResult, type LoadSpec, loadFromChild } from './support/api/load-generator.ts';
import { rawOperations } from './support/api/raw-operations.ts';
import { type RawOp, rawRun } from './support/api/raw-run.ts';
import {
  type CpuUse,
  type EndpointFigures,
  type EndpointName,
  perEndpoint,
  printTable,
  roundCpu,
} from './support/api/report.ts';
import { warmCaches } from './support/api/warm-caches.ts';
import { positiveIntEnv } from './support/env.ts';
import { gatewayJson } from './support/gateway.ts';
import { addEncoded, latencyHistogram, summarizeMs } from './support/latency.ts';
import { printResultLine, progressLog, round2 } from './support/output.ts';
import { startBenchPlatform } from './support/platform.ts';
import { childrenCpuSec, ownCpuSec } from './support/proc-cpu.ts';

const TARGET = 3;
const CONNECTIONS = positiveIntEnv('BENCH_CONNECTIONS', 50);
const SECONDS = positiveIntEnv('BENCH_SECONDS', 20);
const SLICES = positiveIntEnv('BENCH_SLICES', 4);
const SLICE_SECONDS = Math.ceil(SECONDS / SLICES);
const WARMUP_SECONDS = positiveIntEnv('BENCH_WARMUP_SECONDS', 3);
const UNLOADED_SECONDS = positiveIntEnv('BENCH_UNLOADED_SECONDS', 5);

const say = progressLog('bench');
const load1 = (): number => round2(loadavg()[0] ?? 0);

/** CPU seconds so far: this process, and its children but `except` (DynamoDB Local, in practice). */
function cpuNow(except?: number): { node: number; dynamo: number } {
  return { node: ownCpuSec(), dynamo: childrenCpuSec((child) => child.pid === except) };
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
  const passes = await warmCaches(titles, plan.sendOne, invocations, say);
  say(`${name}: caches warm after ${passes} pass(es); warm-up, ${WARMUP_SECONDS} s per side`);
  plan.afterLoad(await loadFromChild(plan.spec(WARMUP_SECONDS, CONNECTIONS)));
  await rawRun(plan.rawOp, CONNECTIONS, WARMUP_SECONDS);

  // Unloaded: what a request costs without queueing; two slices per side, alternating too.
  const unloadedLatencies = latencyHistogram();
  const rawUnloadedLatencies = latencyHistogram();
  let unloadedNon2xx = 0;
  const unloadedSeconds = Math.ceil(UNLOADED_SECONDS / 2);
  await alternate(
    2,
    async () => {
      const result = await loadFromChild(plan.spec(unloadedSeconds, 1));
      plan.afterLoad(result);
      addEncoded(unloadedLatencies, result.latencies);
      unloadedNon2xx += result.non2xx + result.errors;
    },
    async () => {
      rawUnloadedLatencies.add((await rawRun(plan.rawOp, 1, unloadedSeconds)).latencies);
    },
  );

  const endpointLatencies = latencyHistogram();
  const rawLatencies = latencyHistogram();
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
    await warmCaches(titles, plan.sendOne, invocations, say);
    say(`${name}: endpoint slice ${slice + 1}/${SLICES}, ${SLICE_SECONDS} s (load average ${load1()})`);
    const countsBefore = invocations();
    const cpuBefore = cpuNow();
    const result = await loadFromChild(plan.spec(SLICE_SECONDS, CONNECTIONS));
    const cpuAfter = cpuNow(result.pid);
    addCounts(invoked, countsBefore, invocations());
    plan.afterLoad(result);
    addEncoded(endpointLatencies, result.latencies);
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
    rawLatencies.add(result.latencies);
    rawSec += result.durationSec;
    conditionFailures += result.conditionFailures;
    rawCpu.platformSec += cpuAfter.node - cpuBefore.node;
    rawCpu.dynamoSec += cpuAfter.dynamo - cpuBefore.dynamo;
  };
  await alternate(SLICES, endpointSlice, rawSlice);

  const endpoint = summarizeMs(endpointLatencies);
  const raw = summarizeMs(rawLatencies);
  const unloadedEndpoint = summarizeMs(unloadedLatencies);
  const unloadedRaw = summarizeMs(rawUnloadedLatencies);
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

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'showrunner-bench-api-'));
  const loadBefore = load1();
  say(
    `${availableParallelism()} CPUs, load average ${loadBefore}; ${CONNECTIONS} connections, ` +
      `${SLICES} × ${SLICE_SECONDS} s per side`,
  );
  const { platform, startSec } = await startBenchPlatform(dataDir, say);
  say(`platform up in ${startSec.toFixed(1)} s at ${platform.info.gatewayUrl}`);
  try {
    const { gatewayUrl, dynamoEndpoint } = platform.info;
    const invocations = countInvocations(platform);
    const fixture = await createFixture(gatewayUrl, adminFromEnv(), CONNECTIONS);
    say(`${fixture.titles.length} movies live in US, one viewer profile`);
    const tableOf = (constructId: string) => {
      const table = platform.assembly.tables.find((t) => t.constructId === constructId);
      if (!table) throw new Error(`The synthesized app has no ${constructId} table.`);
      return table.name;
    };
    const raw = rawOperations({
      dynamoEndpoint,
      historyTable: tableOf(TABLES.history.constructId),
      catalogTable: tableOf(TABLES.catalog.constructId),
      accountId: fixture.accountId,
      profileId: fixture.profileId,
    });
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
        gatewayJson(gatewayUrl, 'PUT', heartbeatPath(t), {
          token: fixture.viewerToken,
          body: heartbeatBody(0, takeClientTs()),
          expect: 200,
        }),
      rawOp: (loop) => {
        beat += 1;
        return raw.heartbeat(titleAt(loop), beat, takeClientTs());
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
      sendOne: (t) =>
        gatewayJson(gatewayUrl, 'GET', titlePath(t), { token: fixture.viewerToken, expect: 200 }),
      rawOp: (loop) => raw.title(titleAt(loop).titleId),
      afterLoad: () => undefined,
    };

    // One of each first: both answer 2xx, and the raw write leaves the item as the endpoint does.
    const first = titleAt(0);
    await heartbeat.sendOne(first);
    await title.sendOne(first);
    const endpointShape = await raw.historyAttributes(first.titleId);
    if ((await heartbeat.rawOp(0)) !== 'ok')
      throw new Error('The raw heartbeat was refused by its condition.');
    const rawShape = await raw.historyAttributes(first.titleId);
    if (endpointShape !== rawShape) {
      throw new Error(
        `The raw heartbeat writes [${rawShape}], the endpoint [${endpointShape}]: ` +
          'fix the record built in bench/support/api/raw-operations.ts.',
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
    printResultLine({
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
    });
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  say(`failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
