/**
 * The whole encode pipeline on the embedded platform: real HTTP through the local gateway,
 * real uploads into s3rver, the synthesized state machine, DynamoDB Local, ffmpeg.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../cli/ingest-client.ts';
import { artworkUrl, type PosterCandidate } from '../../lambdas/contracts/media.ts';
import { BLACK_MEAN_LUMA, lumaFromRgb, measureFrame } from '../../lambdas/media-pipeline/domain/artwork.ts';
import { DEFAULT_ADMIN } from '../../local/defaults.ts';
import { LOCAL_CREDENTIALS } from '../../local/emulators/dynamodb.ts';
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

describe('poster candidates', () => {
  /** 4 s of black, then 8 s of picture: 12 s, so a capture every 2 s (0, 2, … 10). */
  async function blackThenPicture(): Promise<string> {
    const file = join(dir, 'black-then-picture.mp4');
    await run('ffmpeg', [
      ...['-v', 'error', '-y'],
      ...['-f', 'lavfi', '-i', 'color=black:size=640x360:rate=30:duration=4'],
      ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=8'],
      ...['-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file],
    ]);
    return file;
  }

  it('chooses 1–4 frames of the picture, none black, publishes them under artwork/ and the edge serves them without a token', async () => {
    const job = await ingestFile(await blackThenPicture(), 'Poster candidates');
    expect(job.status, job.reason).toBe('READY');
    const candidates =
      (job.asset as { posterCandidates?: PosterCandidate[] } | undefined)?.posterCandidates ?? [];

    expect(candidates.length).toBeGreaterThanOrEqual(1);
    expect(candidates.length).toBeLessThanOrEqual(4);
    const prefix = `artwork/${job.titleId}/${job.jobId}/`;
    for (const candidate of candidates) {
      expect(candidate.key).toBe(`${prefix}${candidate.artworkId}.jpg`);
      // Captures at 0 s and 2 s are black.
      expect(candidate.atSec).toBeGreaterThanOrEqual(4);
      expect(candidate.score).toBeGreaterThan(0);
    }
    const edge = platform.info.edges[0]?.baseUrl ?? '';
    for (const candidate of candidates) {
      const response = await fetch(artworkUrl(edge, candidate.key));
      expect(response.status, candidate.key).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(response.headers.get('cache-control')).toContain('immutable');
      const image = jpeg.decode(new Uint8Array(await response.arrayBuffer()), { useTArray: true });
      expect(image.width).toBe(640);
      const measures = measureFrame(lumaFromRgb(image.width, image.height, image.data, 4));
      expect(measures.meanLuma).toBeGreaterThan(BLACK_MEAN_LUMA);
    }

    // Only the chosen frames are public; the captures stay behind the token.
    const s3 = new S3Client({
      endpoint: platform.info.s3Endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: platform.info.mediaBucket, Prefix: prefix }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(candidates.map((c) => c.key).sort());
    const captures = await s3.send(
      new ListObjectsV2Command({
        Bucket: platform.info.mediaBucket,
        Prefix: `media/${job.titleId}/${job.jobId}/candidates/`,
      }),
    );
    expect(captures.KeyCount).toBe(6);
    const blackCapture = await fetch(
      `${edge}/media/${job.titleId}/${job.jobId}/candidates/candidate.0000000.jpg`,
    );
    expect(blackCapture.status).toBe(403);

    // The catalog keeps them with the asset it attaches to the title.
    await waitUntilPlayable(apiClient(platform.info.gatewayUrl), job.titleId, {
      timeoutMs: 5000,
      pollMs: 100,
    });
    const catalogInternal = platform.assembly.functions.find((f) => f.functionId === 'catalogInternal');
    const facts = (await platform.lambda.invoke(catalogInternal?.arn ?? 'catalogInternal', {
      op: 'getTitleForAdmin',
      titleId: job.titleId,
    })) as { titles: { asset?: { posterCandidates?: PosterCandidate[] } }[] };
    expect(facts.titles[0]?.asset?.posterCandidates).toEqual(candidates);
  });
});

describe('poster candidates of a failed job', () => {
  it('are deleted with the rest of its outputs when publishing fails after they were published', async () => {
    const file = await makeClip(dir, { width: 640, height: 360, durationSec: 4, audio: false });
    const chosen: PosterCandidate[][] = [];
    const invoke = platform.lambda.invoke.bind(platform.lambda);
    platform.lambda.invoke = async (arnOrName, event, options) => {
      const result = await invoke(arnOrName, event, options);
      if (platform.lambda.find(arnOrName)?.functionId === 'chooseArtwork')
        chosen.push(result as PosterCandidate[]);
      return result;
    };
    platform.setFault('publishAsset', { kind: 'error' });
    let job: Awaited<ReturnType<typeof ingestFile>>;
    try {
      job = await ingestFile(file, 'Failed after artwork');
    } finally {
      platform.setFault('publishAsset', undefined);
      platform.lambda.invoke = invoke;
    }

    expect(job.status).toBe('FAILED');
    // ChooseArtwork published candidates before PublishAsset failed …
    const published = chosen.flat().filter((c) => c.key.startsWith(`artwork/${job.titleId}/${job.jobId}/`));
    expect(published.length).toBeGreaterThanOrEqual(1);
    const s3 = new S3Client({
      endpoint: platform.info.s3Endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    const left = async (prefix: string) =>
      (await s3.send(new ListObjectsV2Command({ Bucket: platform.info.mediaBucket, Prefix: prefix })))
        .KeyCount;
    // … and DiscardOutputs removed them with the rest.
    expect(await left(`artwork/${job.titleId}/${job.jobId}/`)).toBe(0);
    expect(await left(`media/${job.titleId}/${job.jobId}/`)).toBe(0);
    expect(
      (await fetch(artworkUrl(platform.info.edges[0]?.baseUrl ?? '', published[0]?.key ?? ''))).status,
    ).toBe(404);
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
