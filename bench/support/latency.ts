/**
 * Latency percentiles with HdrHistogram (hdr-histogram-js, its pure-JS histograms: nothing here
 * needs WebAssembly). Values are recorded in microseconds, as integers, to 4 significant digits:
 * a percentile is within 0.01 % of the recorded value, below the 0.01 ms the benches print.
 * Percentiles are nearest-rank (the smallest recorded value at or above the requested share).
 * https://github.com/HdrHistogram/HdrHistogramJS
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';

const MICROSECONDS_PER_MS = 1000;
const MICROSECONDS_PER_SEC = 1_000_000;

/** An empty latency histogram (µs, 4 significant digits, grows to fit). */
export function latencyHistogram(): Histogram {
  return build({ useWebAssembly: false, numberOfSignificantValueDigits: 4, autoResize: true });
}

export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.max(0, Math.round(ms * MICROSECONDS_PER_MS)));
}

/** `histogram` as compact text, to send to another process (`addEncoded` reads it). */
export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

/** Adds the values of an `encodeHistogram` text to `into`. */
export function addEncoded(into: Histogram, encoded: string): void {
  into.add(decodeFromCompressedBase64(encoded));
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

/** Count, p50, p99 and mean in ms, to 0.01 ms; zeros for an empty histogram. */
export function summarizeMs(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  const ms = (us: number) => Math.round((us / MICROSECONDS_PER_MS) * 100) / 100;
  return {
    count,
    p50Ms: count > 0 ? ms(histogram.getValueAtPercentile(50)) : 0,
    p99Ms: count > 0 ? ms(histogram.getValueAtPercentile(99)) : 0,
    meanMs: count > 0 ? ms(histogram.mean) : 0,
  };
}

/** The nearest-rank median of a few durations in seconds (the lower middle one for an even count). */
export function medianSec(seconds: readonly number[]): number {
  if (seconds.length === 0) throw new RangeError('No values to take the median of.');
  const histogram = latencyHistogram();
  for (const s of seconds) histogram.recordValue(Math.max(0, Math.round(s * MICROSECONDS_PER_SEC)));
  return histogram.getValueAtPercentile(50) / MICROSECONDS_PER_SEC;
}
