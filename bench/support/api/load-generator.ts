/**
 * The endpoint side's load: autocannon, run in a child process (`load-generator-process.ts`) so
 * the load generator does not share the gateway's event loop. Connection i works on path i (one
 * viewer per title); heartbeats get a new body per request (`setupRequest`), every one with a
 * larger client timestamp, so every write is applied. Every response's latency (autocannon's
 * float timing) goes into a histogram that the child sends back.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { encodeHistogram, latencyHistogram, recordMs } from '../latency.ts';
import { heartbeatBody } from './fixtures.ts';

const CHILD_ENTRY = fileURLToPath(new URL('./load-generator-process.ts', import.meta.url));

export interface LoadSpec {
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

export interface LoadResult {
  /** Every response's latency, as `encodeHistogram` text. */
  readonly latencies: string;
  readonly responses: number;
  readonly durationSec: number;
  readonly statuses: Record<string, number>;
  readonly non2xx: number;
  /** Connection errors and timeouts (no status at all). */
  readonly errors: number;
  /** The last client timestamp sent (heartbeats), so later writes keep moving forward. */
  readonly lastClientTs: number | undefined;
  /** The load generator's own CPU seconds. */
  readonly cpuSec: number;
}

/** One autocannon run, in this process (the child's side). */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies = latencyHistogram();
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
      recordMs(latencies, responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    latencies: encodeHistogram(latencies),
    responses: latencies.totalCount,
    durationSec: result.duration,
    statuses,
    non2xx: result.non2xx,
    errors: result.errors,
    lastClientTs: nextTs === undefined ? undefined : nextTs - 1,
    cpuSec: (cpu.user + cpu.system) / 1e6,
  };
}

/** Runs `spec` in a child process; resolves with its result once the child has exited. */
export function loadFromChild(spec: LoadSpec): Promise<LoadResult & { pid: number | undefined }> {
  const child = fork(CHILD_ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
