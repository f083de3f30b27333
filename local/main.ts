/**
 * `npm start`: the whole platform on this machine. Prerequisites are checked by
 * scripts/setup.mjs (run before this as `prestart`).
 *
 * On a fresh data directory it then seeds the demo catalog in the background (the platform is
 * usable meanwhile; titles become playable one by one), then demo viewers watch some of it so
 * Top 10 and recommendations have something to show. `SHOWRUNNER_SEED=0` skips that,
 * `SHOWRUNNER_SEED=1` seeds a data directory that predates the demo catalog (or its viewing) too.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { adminFromEnv, DEFAULT_ADMIN } from './defaults.ts';
import { startPlatform } from './platform.ts';
import {
  hasUnfinishedSeed,
  readSeedMarker,
  SeedError,
  type SeededTitle,
  seedDemoCatalog,
} from './seed/seed.ts';
import { summarizeViewing, type ViewingSummary } from './seed/viewing.ts';

const dataDir = resolve(process.env.SHOWRUNNER_DATA_DIR ?? '.showrunner');
// Decided before the platform fills the directory: only a fresh one gets the demo catalog.
const freshDataDir = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
const admin = adminFromEnv();

/** Where each listener's port comes from; 0 picks a free port. */
const PORT_ENV = {
  gatewayPort: 'SHOWRUNNER_GATEWAY_PORT',
  mediaPort: 'SHOWRUNNER_MEDIA_PORT',
  s3Port: 'SHOWRUNNER_S3_PORT',
  dynamoPort: 'SHOWRUNNER_DYNAMO_PORT',
  edgeAPort: 'SHOWRUNNER_EDGE_A_PORT',
  edgeBPort: 'SHOWRUNNER_EDGE_B_PORT',
} as const;

const ports = {
  gatewayPort: portFromEnv(PORT_ENV.gatewayPort, 3000),
  mediaPort: portFromEnv(PORT_ENV.mediaPort, 8079),
  s3Port: portFromEnv(PORT_ENV.s3Port, 4569),
  dynamoPort: portFromEnv(PORT_ENV.dynamoPort, 8000),
  edgeAPort: portFromEnv(PORT_ENV.edgeAPort, 8080),
  edgeBPort: portFromEnv(PORT_ENV.edgeBPort, 8081),
};
await refuseBusyPorts(ports);
const { edgeAPort, edgeBPort, ...servicePorts } = ports;
const platform = await startPlatform({ dataDir, admin, ...servicePorts, edgePorts: [edgeAPort, edgeBPort] });
const { info } = platform;
const password =
  admin.password === DEFAULT_ADMIN.password ? admin.password : '(as set in SHOWRUNNER_ADMIN_PASSWORD)';
console.log(`
Showrunner is running (embedded local platform)

  API gateway     ${info.gatewayUrl}/v1/health
  Edges           ${info.edges.map((e) => `${e.baseUrl} (${e.id})`).join(', ')}: counters at /_edge/stats
  Media origin    ${info.mediaBaseUrl}/media/… (what the edges fetch from)
  S3 (s3rver)     ${info.s3Endpoint}
  DynamoDB Local  ${info.dynamoEndpoint}
  Data directory  ${info.dataDir}

  Admin           ${admin.email}
  Password        ${password}

Ingest a video:   npm run ingest -- <file> --title "My film" [--captions en=subs.vtt]
Stop:             Ctrl+C
`);

const seeding = new AbortController();
const seeded = startSeeding();

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) {
      console.log('Stopping now.');
      process.exit(130);
    }
    stopping = true;
    console.log('\nStopping… (Ctrl+C again to force)');
    seeding.abort();
    await seeded;
    await platform.stop();
    process.exit(0);
  });
}

/** Seeds in the background; resolves when done, skipped, failed or stopped (never rejects). */
async function startSeeding(): Promise<void> {
  const choice = process.env.SHOWRUNNER_SEED;
  const marker = readSeedMarker(dataDir);
  if (choice === '0') return;
  if (marker) {
    console.log(
      `Demo catalog: seeded on ${marker.completedAt?.slice(0, 10)}: ${countTitles(marker.titles)}.`,
    );
    if (marker.viewing?.completedAt !== undefined) {
      console.log(describeViewing(summarizeViewing(marker.viewing)));
      return;
    }
    // A viewing seed that was started is resumed; one that never was waits for SHOWRUNNER_SEED=1.
    if (marker.viewing === undefined && choice !== '1') {
      console.log('Demo viewing: none (this data directory predates it; SHOWRUNNER_SEED=1 adds it).');
      return;
    }
  } else if (choice !== '1' && !freshDataDir && !hasUnfinishedSeed(dataDir)) {
    console.log('Demo catalog: not seeded (this data directory predates it; SHOWRUNNER_SEED=1 seeds it).');
    return;
  }
  try {
    const summary = await seedDemoCatalog({
      apiUrl: info.gatewayUrl,
      admin,
      dataDir,
      concurrency: 2,
      viewing: {},
      log: (line) => console.log(line),
      signal: seeding.signal,
    });
    const seconds = Math.round((summary.elapsedMs - (summary.viewing?.elapsedMs ?? 0)) / 1000);
    if (!marker) {
      console.log(
        `Demo catalog ready: ${countTitles(summary.titles)}, ${summary.ready}/${summary.clips} clips playable (${seconds} s).` +
          ` Browse: GET ${info.gatewayUrl}/v1/titles (signed in; X-Viewer-Country: US, BR, GB, DE, IN or JP).`,
      );
    }
    if (summary.viewing) console.log(describeViewing(summary.viewing));
  } catch (error) {
    if (seeding.signal.aborted) {
      console.log('Demo catalog: seeding stopped; the next start resumes it.');
      return;
    }
    const message = error instanceof SeedError ? error.message : (error as Error).stack;
    console.error(`Demo catalog: seeding failed: ${message}`);
  }
}

/** `42 titles (38 films, 4 series)`: what viewers browse (episodes are inside their series). */
function countTitles(titles: readonly SeededTitle[]): string {
  const films = titles.filter((t) => t.kind === 'movie').length;
  const series = titles.filter((t) => t.kind === 'series').length;
  return `${films + series} titles (${films} films, ${series} series)`;
}

/** Who watched what, and whom to sign in as to see their Top 10, recommendations and home page. */
function describeViewing(
  viewing: Omit<ViewingSummary, 'apiCalls' | 'elapsedMs'> & Partial<ViewingSummary>,
): string {
  const took =
    viewing.apiCalls && viewing.elapsedMs !== undefined
      ? ` (${viewing.apiCalls} API calls, ${Math.round(viewing.elapsedMs / 1000)} s)`
      : '';
  const signIn = viewing.signIn
    ? `\n  Sign in as a viewer: ${viewing.signIn.email} / ${viewing.signIn.password}`
    : '';
  return (
    `Demo viewing: ${viewing.accounts} viewer accounts (${viewing.profiles} profiles) in ` +
    `${viewing.countries.join(', ')} watched ${viewing.watches} films and episodes${took}.${signIn}`
  );
}

/**
 * Stops with a clear message when a port is taken, e.g. by another Showrunner. Checked up front
 * because the emulators do not all notice: DynamoDB Local's readiness probe would be answered by
 * the other instance on that port, and this platform would write into that instance's tables.
 */
async function refuseBusyPorts(wanted: Record<keyof typeof PORT_ENV, number>): Promise<void> {
  const busy: string[] = [];
  for (const [option, port] of Object.entries(wanted) as [keyof typeof PORT_ENV, number][]) {
    if (port !== 0 && !(await portIsFree(port)))
      busy.push(`${port} (set ${PORT_ENV[option]} to another port, or 0)`);
  }
  if (busy.length === 0) return;
  console.error(`Cannot start: ports in use: ${busy.join(', ')}.`);
  process.exit(1);
}

/** Binds the wildcard address, which collides with a listener on any address of that port. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen({ port }, () => probe.close(() => resolvePort(true)));
  });
}

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`${name} must be a port number (0 picks a free one), not "${value}".`);
    process.exit(2);
  }
  return port;
}
