/**
 * The raw side's load: `concurrency` loops issuing one DynamoDB operation back to back for
 * `seconds`, loop i on item i (as connection i works on item i through the gateway). Each
 * operation is timed from call to answer; any error aborts the benchmark.
 */
import type { Histogram } from 'hdr-histogram-js';
import { latencyHistogram, recordMs } from '../latency.ts';

/** A heartbeat refused by its condition (an older clientTs arrived after a newer one) is not an error. */
export type RawOutcome = 'ok' | 'condition-failed';

export type RawOp = (loop: number) => Promise<RawOutcome>;

export interface RawResult {
  readonly latencies: Histogram;
  readonly durationSec: number;
  readonly conditionFailures: number;
}

export async function rawRun(op: RawOp, concurrency: number, seconds: number): Promise<RawResult> {
  const latencies = latencyHistogram();
  let conditionFailures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const outcome = await op(loop);
        recordMs(latencies, performance.now() - t0);
        if (outcome === 'condition-failed') conditionFailures += 1;
      }
    }),
  );
  return { latencies, durationSec: (performance.now() - started) / 1000, conditionFailures };
}
