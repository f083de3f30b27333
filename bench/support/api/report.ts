/**
 * The API bench's figures per endpoint, the table it prints and the per-endpoint part of its
 * JSON line (fields documented in bench/README.md).
 */
import type { LatencySummary } from '../latency.ts';
import { round2 } from '../output.ts';
import type { InvocationCounts } from './invocations.ts';

export type EndpointName = 'heartbeat' | 'title';

/** CPU seconds spent by one side, summed over its slices. */
export interface CpuUse {
  /** This process: the gateway, the Lambda worker threads, the invoke API; the SDK client in raw slices. */
  platformSec: number;
  /** DynamoDB Local (the JVM). */
  dynamoSec: number;
  loadGeneratorSec: number;
}

export interface EndpointFigures {
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

export function roundCpu(c: CpuUse): CpuUse {
  return {
    platformSec: round2(c.platformSec),
    dynamoSec: round2(c.dynamoSec),
    loadGeneratorSec: round2(c.loadGeneratorSec),
  };
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i] ?? 8)).join(' ');
}

export function printTable(figures: Record<EndpointName, EndpointFigures>): void {
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

/** One endpoint's part of the JSON line. */
export function perEndpoint(f: EndpointFigures, dynamoOps: string) {
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
