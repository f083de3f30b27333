/**
 * Playback over real HTTP on the embedded platform: a session from `POST /v1/playback`, its
 * per-session master playlist fetched with no headers (as a player does), the two local edges
 * running the CloudFront Function that checks the edge token, plan caps, the concurrent-stream
 * limit, revocation at the end of a session, and the steering endpoint.
 *
 * One 2 s 1080p source clip, ingested through the real pipeline: its ladder tops out at 1080p,
 * so a basic plan (720p) has a rendition it must never reach.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../cli/ingest-client.ts';
import type { Maturity } from '../../../lambdas/contracts/api/common.ts';
import { EDGE_REASON_HEADER } from '../../../lambdas/contracts/edge.ts';
import {
  type ApiPlatform,
  expectError,
  startApiPlatform,
  type TestUser,
  waitUntilPlayable,
} from '../../support/api.ts';
import { makeClip } from '../../support/clips.ts';

let env: ApiPlatform;
let titleId: string;
let clipDir: string;

type Plan = 'basic' | 'standard' | 'premium';

interface Viewer {
  user: TestUser;
  profileId: string;
}

interface Session {
  sessionId: string;
  manifestUrl: string;
  resumeAtSec: number;
  expiresAt: string;
}

/** A fresh US account with a profile of `maturity`, subscribed to `plan` unless `plan` is null. */
async function newViewer(plan: Plan | null, maturity: Maturity = 'adult'): Promise<Viewer> {
  const user = await env.api.newUser({ country: 'US' });
  if (plan !== null) {
    const subscribed = await user.api.put('/v1/subscription', {
      plan,
      card: { number: '4242 4242 4242 4242' },
    });
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(200);
  }
  const profile = await user.api.post('/v1/profiles', { name: `p-${randomUUID().slice(0, 6)}`, maturity });
  expect(profile.status, JSON.stringify(profile.body)).toBe(201);
  return { user, profileId: profile.body.profileId };
}

async function startPlayback(viewer: Viewer): Promise<Session> {
  const started = await viewer.user.api.post('/v1/playback', { profileId: viewer.profileId, titleId });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body;
}

async function endPlayback(viewer: Viewer, session: Session): Promise<void> {
  const ended = await viewer.user.api.delete(`/v1/playback/${session.sessionId}`);
  expect(ended.status, JSON.stringify(ended.body)).toBe(204);
}

/** The master playlist as a player fetches it: no Authorization, no other header. */
async function fetchMaster(session: Session): Promise<string> {
  const response = await fetch(session.manifestUrl);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return text;
}

interface Variant {
  pathway: string;
  height: number;
  uri: string;
}

/** The `#EXT-X-STREAM-INF` variants: pathway, the shorter side of RESOLUTION, absolute URI. */
function variantsOf(master: string, base: string): Variant[] {
  const lines = master.split(/\r?\n/);
  const variants: Variant[] = [];
  for (const [index, line] of lines.entries()) {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) continue;
    const [w, h] = (/RESOLUTION=(\d+)x(\d+)/.exec(line) ?? []).slice(1).map(Number);
    const pathway = /PATHWAY-ID="([^"]+)"/.exec(line)?.[1] ?? '';
    const uri = new URL(lines[index + 1] ?? '', base).href;
    variants.push({ pathway, height: Math.min(w ?? 0, h ?? 0), uri });
  }
  return variants;
}

/** `ffmpeg -v error -i <url> -f null -`: exit code and what it printed. */
function ffmpegDecode(url: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-nostdin', '-v', 'error', '-i', url, '-f', 'null', '-'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Replaces one character of the token's signature (the last path segment of `/t/<token>/`). */
function tamper(uri: string): string {
  return uri.replace(/(\/t\/[^/]+)([A-Za-z0-9_-])\//, (_, head: string, last: string) => {
    return `${head}${last === 'A' ? 'B' : 'A'}/`;
  });
}

beforeAll(async () => {
  env = await startApiPlatform('playback');
  clipDir = mkdtempSync(join(tmpdir(), 'showrunner-playback-clips-'));
  const file = await makeClip(clipDir, { width: 1920, height: 1080, durationSec: 2, audio: true });
  const job = await ingest({
    apiUrl: env.platform.info.gatewayUrl,
    file,
    title: 'Playback over HTTP',
    maturity: 'adult',
    countries: ['US'],
    pollMs: 200,
    timeoutMs: 240_000,
  });
  expect(job.status, job.reason).toBe('READY');
  titleId = job.titleId;
  // The catalog attaches the asset when it hears of the READY job: wait until it says so.
  await waitUntilPlayable(env.api, titleId);
}, 300_000);

afterAll(async () => {
  await env?.stop();
  if (clipDir) rmSync(clipDir, { recursive: true, force: true });
});

describe('playback over the local edges', () => {
  it('gives a subscribed viewer a master playlist with two steered pathways that ffmpeg decodes', async () => {
    const viewer = await newViewer('standard');

    const session = await startPlayback(viewer);
    const master = await fetchMaster(session);

    expect(session.sessionId).toMatch(/\S/);
    expect(session.resumeAtSec).toBe(0);
    expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
    expect(master.startsWith('#EXTM3U')).toBe(true);
    expect(master).toMatch(/^#EXT-X-CONTENT-STEERING:.*SERVER-URI="[^"]+"/m);
    const variants = variantsOf(master, session.manifestUrl);
    expect(new Set(variants.map((v) => v.pathway))).toEqual(new Set(['edge-a', 'edge-b']));
    expect(master).toContain('PATHWAY-ID="edge-a"');
    expect(master).toContain('PATHWAY-ID="edge-b"');
    // Every variant once per pathway.
    const heightsOn = (pathway: string) =>
      variants
        .filter((v) => v.pathway === pathway)
        .map((v) => v.height)
        .sort((a, b) => a - b);
    expect(heightsOn('edge-a')).toEqual(heightsOn('edge-b'));
    expect(Math.max(...heightsOn('edge-a'))).toBe(1080);

    const decoded = await ffmpegDecode(session.manifestUrl);
    expect(decoded.code, decoded.stderr).toBe(0);
    // ffmpeg notes at error level that it opens a new connection per edge host: harmless.
    const problems = decoded.stderr
      .split('\n')
      .filter((l) => l !== '' && !/Cannot reuse HTTP connection/.test(l));
    expect(problems).toEqual([]);
    await endPlayback(viewer, session);
  });

  it('never shows a basic plan a variant above 720p, and the edge refuses a guessed 1080p path', async () => {
    const viewer = await newViewer('basic');

    const session = await startPlayback(viewer);
    const master = await fetchMaster(session);
    const variants = variantsOf(master, session.manifestUrl);

    expect(variants.length).toBeGreaterThan(0);
    expect(Math.max(...variants.map((v) => v.height))).toBe(720);
    // I-frame (trick-play) variants too: no RESOLUTION anywhere above 720p.
    const resolutions = [...master.matchAll(/RESOLUTION=(\d+)x(\d+)/g)].map((m) =>
      Math.min(Number(m[1]), Number(m[2])),
    );
    expect(Math.max(...resolutions)).toBe(720);
    expect(master).not.toMatch(/1080p/);
    const top = variants.find((v) => v.height === 720);
    expect(top?.uri).toMatch(/index_720p/);
    const allowed = await fetch(top?.uri ?? '');
    expect(allowed.status).toBe(200);
    await allowed.arrayBuffer();

    const guessed = (top?.uri ?? '').replace(/index_720p/g, 'index_1080p');
    const refused = await fetch(guessed);
    await refused.arrayBuffer();

    expect(refused.status).toBe(403);
    expect(refused.headers.get(EDGE_REASON_HEADER)).toBe('height');
    await endPlayback(viewer, session);
  });

  it('answers 403 to a tampered edge token', async () => {
    const viewer = await newViewer('standard');
    const session = await startPlayback(viewer);
    const [variant] = variantsOf(await fetchMaster(session), session.manifestUrl);
    const tampered = tamper(variant?.uri ?? '');
    expect(tampered).not.toBe(variant?.uri);

    const response = await fetch(tampered);
    await response.arrayBuffer();

    expect(response.status).toBe(403);
    expect(response.headers.get(EDGE_REASON_HEADER)).toBe('tampered');
    await endPlayback(viewer, session);
  });

  it('refuses a second stream on the basic plan and allows it after the first session ends', async () => {
    const viewer = await newViewer('basic');
    const first = await startPlayback(viewer);

    const second = await viewer.user.api.post('/v1/playback', { profileId: viewer.profileId, titleId });
    expectError(second, 409, 'STREAM_LIMIT_REACHED');

    await endPlayback(viewer, first);
    const third = await startPlayback(viewer);
    expect(third.sessionId).not.toBe(first.sessionId);
    await endPlayback(viewer, third);
  });

  it("refuses an ended session's token at the edge (revoked)", async () => {
    const viewer = await newViewer('standard');
    const session = await startPlayback(viewer);
    const [variant] = variantsOf(await fetchMaster(session), session.manifestUrl);
    const playlist = await fetch(variant?.uri ?? '');
    const text = await playlist.text();
    expect(playlist.status, text).toBe(200);
    const firstSegment = text.split(/\r?\n/).find((line) => line !== '' && !line.startsWith('#')) ?? '';
    const segmentUrl = new URL(firstSegment, variant?.uri).href;
    const before = await fetch(segmentUrl);
    await before.arrayBuffer();
    expect(before.status).toBe(200);

    await endPlayback(viewer, session);
    const after = await fetch(segmentUrl);
    await after.arrayBuffer();

    expect(after.status).toBe(403);
    expect(after.headers.get(EDGE_REASON_HEADER)).toBe('revoked');
  });

  it('answers the steering endpoint with the HLS Content Steering JSON', async () => {
    const viewer = await newViewer('standard');
    const session = await startPlayback(viewer);
    const master = await fetchMaster(session);
    const serverUri = /#EXT-X-CONTENT-STEERING:.*SERVER-URI="([^"]+)"/.exec(master)?.[1] ?? '';
    const steeringUrl = new URL(serverUri, session.manifestUrl).href;

    const response = await fetch(steeringUrl);
    const text = await response.text();

    expect(response.status, text).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/json/);
    const steering = JSON.parse(text);
    expect(Object.keys(steering).sort()).toEqual(['PATHWAY-PRIORITY', 'RELOAD-URI', 'TTL', 'VERSION']);
    expect(steering.VERSION).toBe(1);
    expect(steering.TTL).toBeGreaterThan(0);
    expect(new URL(steering['RELOAD-URI'], steeringUrl).pathname).toBe(`/v1/steering/${session.sessionId}`);
    expect([...steering['PATHWAY-PRIORITY']].sort()).toEqual(['edge-a', 'edge-b']);
    await endPlayback(viewer, session);
  });

  it('refuses playback without a subscription (403 NO_SUBSCRIPTION)', async () => {
    const viewer = await newViewer(null);

    const response = await viewer.user.api.post('/v1/playback', { profileId: viewer.profileId, titleId });

    expectError(response, 403, 'NO_SUBSCRIPTION');
  });

  it('hides an adult title from a kids profile (404)', async () => {
    const viewer = await newViewer('standard', 'kids');

    const response = await viewer.user.api.post('/v1/playback', { profileId: viewer.profileId, titleId });

    expectError(response, 404, 'TITLE_NOT_FOUND');
  });

  it('resumes where the profile left off (history), and from the start once finished', async () => {
    const viewer = await newViewer('premium');
    const beat = (positionSec: number) =>
      viewer.user.api.put(`/v1/profiles/${viewer.profileId}/history/${titleId}`, {
        positionSec,
        durationSec: 2,
        clientTs: Date.now(),
      });

    expect((await startPlayback(viewer)).resumeAtSec).toBe(0);
    expect((await beat(1)).status).toBe(200);
    expect((await startPlayback(viewer)).resumeAtSec).toBe(1);
    expect((await beat(2)).status).toBe(200);
    expect((await startPlayback(viewer)).resumeAtSec).toBe(0);
  });
});

describe('prepositioning', () => {
  it('fills both edges with the opening of the titles people start, and reports it', async () => {
    const viewer = await newViewer('standard');
    await endPlayback(viewer, await startPlayback(viewer));
    const admin = await env.api.admin();
    for (const edge of [...env.platform.edges, env.platform.shield]) edge.clearCache();

    const filled = await admin.api.post('/v1/admin/edge/preposition', { titles: 5, openingSec: 6 });

    expect(filled.status, JSON.stringify(filled.body)).toBe(200);
    const report = filled.body;
    const ours = report.titles.find((t: { titleId: string }) => t.titleId === titleId);
    expect(ours).toMatchObject({ titleId, starts: expect.any(Number) });
    expect(ours.starts).toBeGreaterThanOrEqual(1);
    expect(report.edges.map((e: { pathwayId: string }) => e.pathwayId)).toEqual(['edge-a', 'edge-b']);
    for (const edge of report.edges) {
      expect(edge).toMatchObject({ failed: 0, alreadyCached: 0 });
      expect(edge.filled).toBeGreaterThanOrEqual(ours.objects);
    }
    expect(report.truncated).toBe(false);

    // A viewer now gets the opening from the edge's cache: no trip to the shield or the origin.
    const session = await startPlayback(await newViewer('premium'));
    const [variant] = variantsOf(await fetchMaster(session), session.manifestUrl);
    const playlist = await fetch(variant?.uri as string);
    const text = await playlist.text();
    expect(playlist.headers.get('x-cache')).toMatch(/^Hit from edge-/);
    const firstSegment = text.split(/\r?\n/).find((line) => line !== '' && !line.startsWith('#'));
    const segment = await fetch(new URL(firstSegment as string, variant?.uri).href);
    await segment.arrayBuffer();
    expect(segment.status).toBe(200);
    expect(segment.headers.get('x-cache')).toMatch(/^Hit from edge-/);

    const again = await admin.api.post('/v1/admin/edge/preposition', { titles: 5, openingSec: 6 });
    expect(again.status).toBe(200);
    for (const edge of again.body.edges) expect(edge.filled).toBe(0);
  });

  it('is for administrators only, and refuses a malformed request with 400', async () => {
    const viewer = await newViewer('standard');
    expectError(await viewer.user.api.post('/v1/admin/edge/preposition', {}), 403, 'FORBIDDEN');
    const admin = await env.api.admin();
    expectError(await admin.api.post('/v1/admin/edge/preposition', { titles: 0 }), 400, 'INVALID_REQUEST');
    expectError(
      await admin.api.post('/v1/admin/edge/preposition', { everything: true }),
      400,
      'INVALID_REQUEST',
    );
  });
});
