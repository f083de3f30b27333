/**
 * The whole encode pipeline on the embedded platform: real HTTP through the local gateway,
 * real uploads into s3rver, the synthesized state machine, DynamoDB Local, ffmpeg.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../cli/ingest-client.ts';
import { DEFAULT_ADMIN } from '../../local/defaults.ts';
import { type Platform, startPlatform } from '../../local/platform.ts';
import { apiClient, waitUntilPlayable } from '../support/api.ts';
import { makeAudioOnly, makeClip, makeEmptyFile, makeTextFile, makeTruncated } from '../support/clips.ts';
import { onFreePorts } from '../support/platform.ts';

const run = promisify(execFile);
let platform: Platform;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'showrunner-pipeline-'));
  platform = await startPlatform(onFreePorts(join(dir, 'data')));
});

afterAll(async () => {
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ingestFile = (file: string, title: string, captions?: { lang: string; file: string }[]) =>
  ingest({
    apiUrl: platform.info.gatewayUrl,
    file,
    title,
    pollMs: 200,
    timeoutMs: 120_000,
    ...(captions ? { captions } : {}),
  });

async function adminAuth(): Promise<Record<string, string>> {
  const response = await fetch(`${platform.info.gatewayUrl}/v1/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ email: DEFAULT_ADMIN.email, password: DEFAULT_ADMIN.password }),
  });
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}` };
}

async function decodes(manifestUrl: string): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-i', manifestUrl, '-f', 'null', '-'], { timeout: 60_000 });
}

describe('encode pipeline on the embedded platform', () => {
  it('turns a 720p clip into a READY asset whose HLS decodes, with at least 3 renditions', async () => {
    const file = await makeClip(dir, { width: 1280, height: 720, durationSec: 3, audio: true });
    const job = await ingestFile(file, 'Seven twenty');
    expect(job.status).toBe('READY');
    expect(job.progress).toBe(100);
    expect(job.manifestUrl).toMatch(/^http:\/\/localhost:\d+\/media\/.+\/hls\/index\.m3u8$/);
    expect(job.asset?.renditions.length).toBeGreaterThanOrEqual(3);
    expect(job.asset?.renditions.map((r) => r.height)).not.toContain(1080);
    expect(job.asset?.audio).toBe(true);
    expect(job.asset?.durationSec).toBeCloseTo(3, 0);
    await decodes(job.manifestUrl as string);
  });

  it('attaches the READY asset to its catalog title, which becomes playable', async () => {
    const file = await makeClip(dir, { width: 640, height: 360, durationSec: 2, audio: true });
    const job = await ingestFile(file, 'Attached');
    expect(job.status).toBe('READY');
    // The Asset Published event reaches the catalog asynchronously, as on AWS.
    const title = await waitUntilPlayable(apiClient(platform.info.gatewayUrl), job.titleId, {
      timeoutMs: 5000,
      pollMs: 100,
    });
    expect(title).toMatchObject({ playable: true, durationSec: job.asset?.durationSec });
  });

  it.each([
    ['portrait', { width: 720, height: 1280, durationSec: 2, audio: true }],
    ['silent', { width: 640, height: 360, durationSec: 2, audio: false }],
    ['10-bit', { width: 640, height: 360, durationSec: 2, audio: true, pixFmt: 'yuv420p10le' }],
    ['VP9/WebM', { width: 640, height: 360, durationSec: 2, audio: true, format: 'webm-vp9' as const }],
  ])('accepts a %s source and publishes playable HLS', async (_, spec) => {
    const file = await makeClip(dir, spec);
    const job = await ingestFile(file, `Clip ${_}`);
    expect(job.status, job.reason).toBe('READY');
    await decodes(job.manifestUrl as string);
    if (_ === 'silent') expect(job.asset?.audio).toBe(false);
    if (_ === 'portrait') expect(job.asset?.renditions.every((r) => r.height > r.width)).toBe(true);
  });

  it('publishes WebVTT captions given as a sidecar', async () => {
    const file = await makeClip(dir, { width: 640, height: 360, durationSec: 2, audio: true });
    const vtt = join(dir, 'en.vtt');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(vtt, 'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello from Showrunner\n'),
    );
    const job = await ingestFile(file, 'Captioned', [{ lang: 'en', file: vtt }]);
    expect(job.status, job.reason).toBe('READY');
    expect(job.asset?.captions.map((c) => c.lang)).toEqual(['en']);
    const master = await (await fetch(job.manifestUrl as string)).text();
    expect(master).toContain('TYPE=SUBTITLES');
  });

  it.each([
    ['an empty file', () => makeEmptyFile(dir), 'SOURCE_EMPTY'],
    ['a text file', () => makeTextFile(dir), 'SOURCE_UNREADABLE'],
    ['an audio-only file', () => makeAudioOnly(dir), 'NO_VIDEO_STREAM'],
    [
      'a truncated file',
      async () =>
        makeTruncated(await makeClip(dir, { width: 640, height: 360, durationSec: 3, audio: true }), 0.5),
      'SOURCE_TRUNCATED',
    ],
  ])('rejects %s with its reason code and publishes nothing', async (_, make, code) => {
    const job = await ingestFile(await make(), `Bad ${_}`);
    expect(job.status).toBe('REJECTED');
    expect(job.reasonCode).toBe(code);
    expect(job.reason?.length).toBeGreaterThan(10);
    expect(job.manifestUrl).toBeUndefined();
  });

  it('starts one job when the upload event is delivered twice', async () => {
    const file = await makeClip(dir, { width: 320, height: 180, durationSec: 2, audio: false });
    const job = await ingestFile(file, 'Twice');
    expect(job.status).toBe('READY');
    const executions = platform.stateMachine.executions.length;
    platform.bus.put({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      detail: {
        bucket: { name: platform.info.ingestBucket },
        object: { key: `sources/${job.jobId}/clip.mp4`, size: 1, etag: 'x', sequencer: '1' },
      },
    });
    await platform.idle();
    const redelivery = platform.stateMachine.executions.slice(executions);
    expect(redelivery).toHaveLength(1);
    expect(redelivery[0]?.status).toBe('SUCCEEDED');
    const after = await (
      await fetch(`${platform.info.gatewayUrl}/v1/admin/jobs/${job.jobId}`, { headers: await adminAuth() })
    ).json();
    expect(after).toMatchObject({ status: 'READY', manifestUrl: job.manifestUrl });
  });
});

describe('local gateway', () => {
  it('answers health, unknown routes and bad input in the house error shape', async () => {
    const api = platform.info.gatewayUrl;
    expect(await (await fetch(`${api}/v1/health`)).json()).toMatchObject({ status: 'ok', target: 'local' });
    const notFound = await fetch(`${api}/v1/nope`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: expect.any(String) },
    });
    const auth = await adminAuth();
    const anonymous = await fetch(`${api}/v1/admin/jobs/00000000-0000-0000-0000-000000000000`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('UNAUTHORIZED');
    const title = await fetch(`${api}/v1/admin/titles`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'Gateway checks', maturity: 'kids' }),
    });
    const { titleId } = (await title.json()) as { titleId: string };
    const uploads = `${api}/v1/admin/titles/${titleId}/uploads`;
    const badJson = await fetch(uploads, { method: 'POST', headers: auth, body: '{"fileName":' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.code).toBe('MALFORMED_JSON');
    const unknownField = await fetch(uploads, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ fileName: 'a.mp4', sizeBytes: 10, hack: true }),
    });
    expect(unknownField.status).toBe(400);
    const noTitle = await fetch(`${api}/v1/admin/titles/no-such-title/uploads`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ fileName: 'a.mp4', sizeBytes: 10 }),
    });
    expect(noTitle.status).toBe(404);
    expect((await noTitle.json()).error.code).toBe('TITLE_NOT_FOUND');
    const badId = await fetch(`${api}/v1/admin/jobs/..%2F..%2Fetc`, { headers: auth });
    expect(badId.status).toBe(400);
    const missing = await fetch(`${api}/v1/admin/jobs/00000000-0000-0000-0000-000000000000`, {
      headers: auth,
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('JOB_NOT_FOUND');
  });
});
