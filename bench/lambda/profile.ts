/**
 * Where a cold start's CPU time goes, for `BENCH_PROFILE=fn1,fn2 npm run bench:lambda`: one extra,
 * untimed cold start of each named function under `node --cpu-prof`, its samples' self time
 * summed by what ran them:
 *
 * - frames in the bundle, mapped through its source map to the npm package or the folder of our
 *   code they came from (`zod`, `lambdas/contracts`);
 * - frames in node_modules outside the bundle: the runtime's SDK (`@aws-sdk/client-dynamodb`,
 *   `@smithy/core`);
 * - Node itself: compiling and linking modules, source maps (`--enable-source-maps`), other
 *   built-ins; V8's garbage collector; `(idle)` is time waiting (for the stub's answers).
 *
 * The profiler's 100 µs sampling slows the process down, so these are shares, not the timings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { url: string; functionName: string; lineNumber: number; columnNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  readonly what: string;
  readonly ms: number;
}

/** Self time by origin, largest first, from the one `.cpuprofile` in `dir`. */
export function attributeProfile(
  dir: string,
  bundleFile: string,
): { totalMs: number; shares: ProfileShare[] } {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const map = new SourceMap(JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8')));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byOrigin = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id);
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const origin = frame ? originOf(frame, bundleFile, map) : '(unknown)';
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + ms);
  });
  const shares = [...byOrigin]
    .map(([what, ms]) => ({ what, ms: Math.round(ms * 10) / 10 }))
    .sort((a, b) => b.ms - a.ms);
  return { totalMs: Math.round(total * 10) / 10, shares };
}

function packageOf(path: string): string {
  const inside = path.split('node_modules/').at(-1) ?? path;
  const [first, second] = inside.split('/');
  return first?.startsWith('@') ? `${first}/${second}` : (first ?? path);
}

function originOf(
  frame: CpuProfile['nodes'][number]['callFrame'],
  bundleFile: string,
  map: SourceMap,
): string {
  const { url, functionName } = frame;
  if (url === '') return `(${functionName || 'native'})`.replace('((', '(').replace('))', ')');
  if (url.startsWith('file://') && fileURLToPath(url) === bundleFile) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
    const source = entry.originalSource ?? '';
    if (source.includes('node_modules/')) return `bundle: ${packageOf(source)}`;
    const own = /(lambdas\/[^/]+)/.exec(source)?.[1];
    return own ? `bundle: ${own}` : 'bundle: (unmapped)';
  }
  if (url.includes('node_modules/')) return `runtime SDK: ${packageOf(url)}`;
  if (url.startsWith('node:internal/modules/')) return 'Node: loading and compiling modules';
  if (url.startsWith('node:internal/source_map/')) return 'Node: source maps (--enable-source-maps)';
  if (url.includes('cold-start.mjs')) return 'bench harness';
  const builtin = url.replace(/^node:(internal\/)?(deps\/)?/, '').split('/')[0] ?? url;
  return `Node: ${builtin}`;
}
