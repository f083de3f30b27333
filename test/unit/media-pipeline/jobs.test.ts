import { describe, expect, it } from 'vitest';
import type { JobRecord } from '#contracts/jobs.ts';
import type { Asset } from '#contracts/media.ts';
import { describeFailure, toJobView, transcodeProgress } from '#media-pipeline/domain/jobs.ts';
import { PipelineError } from '#shared/errors.ts';

const MEDIA_BASE_URL = 'https://media.example.com';

const asset: Asset = {
  assetId: 'asset-1',
  titleId: 'title-1',
  manifestKey: 'media/title-1/asset-1/hls/main.m3u8',
  durationSec: 13,
  renditions: [
    {
      name: '360p',
      width: 640,
      height: 360,
      bandwidth: 900_000,
      playlistKey: 'media/title-1/asset-1/hls/360p.m3u8',
    },
  ],
  audio: true,
  captions: [{ lang: 'en', playlistKey: 'media/title-1/asset-1/hls/en.m3u8' }],
  posterKey: 'media/title-1/asset-1/poster.jpg',
  thumbnails: { intervalSec: 10, keys: ['media/title-1/asset-1/thumbs/0001.jpg'] },
};

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    jobId: 'job-00000001',
    titleId: 'title-1',
    titleName: 'Big Buck Bunny',
    status: 'TRANSCODING',
    progress: 42,
    createdAt: '2026-11-02T10:00:00.000Z',
    fileName: 'bbb.mp4',
    sourceBucket: 'ingest',
    sourceKey: 'sources/job-00000001/bbb.mp4',
    sourceSizeBytes: 1_000_000,
    captions: [],
    ...overrides,
  };
}

describe('toJobView', () => {
  it('shows a running job with only the fields the API documents', () => {
    const view = toJobView(job(), MEDIA_BASE_URL);

    expect(view).toEqual({
      jobId: 'job-00000001',
      titleId: 'title-1',
      titleName: 'Big Buck Bunny',
      status: 'TRANSCODING',
      progress: 42,
      createdAt: '2026-11-02T10:00:00.000Z',
    });
  });

  it('does not reveal where the source is stored', () => {
    const view = toJobView(job(), MEDIA_BASE_URL);

    expect(view).not.toHaveProperty('sourceBucket');
    expect(view).not.toHaveProperty('sourceKey');
    expect(view).not.toHaveProperty('fileName');
    expect(view).not.toHaveProperty('sourceSizeBytes');
  });

  it('rounds progress to a whole percent', () => {
    expect(toJobView(job({ progress: 36.4 }), MEDIA_BASE_URL).progress).toBe(36);
    expect(toJobView(job({ progress: 36.5 }), MEDIA_BASE_URL).progress).toBe(37);
  });

  it('includes updatedAt, reasonCode and reason when the job has them', () => {
    const rejected = job({
      status: 'REJECTED',
      progress: 100,
      updatedAt: '2026-11-02T10:01:00.000Z',
      reasonCode: 'SOURCE_EMPTY',
      reason: 'The source file is empty.',
    });

    expect(toJobView(rejected, MEDIA_BASE_URL)).toEqual({
      jobId: 'job-00000001',
      titleId: 'title-1',
      titleName: 'Big Buck Bunny',
      status: 'REJECTED',
      progress: 100,
      createdAt: '2026-11-02T10:00:00.000Z',
      updatedAt: '2026-11-02T10:01:00.000Z',
      reasonCode: 'SOURCE_EMPTY',
      reason: 'The source file is empty.',
    });
  });

  it('shows the asset and its manifest URL once the job is READY', () => {
    const view = toJobView(job({ status: 'READY', progress: 100, asset }), MEDIA_BASE_URL);

    expect(view.asset).toEqual(asset);
    expect(view.manifestUrl).toBe('https://media.example.com/media/title-1/asset-1/hls/main.m3u8');
  });

  it('joins the base URL and the manifest key with exactly one slash', () => {
    const view = toJobView(job({ status: 'READY', progress: 100, asset }), 'https://media.example.com//');

    expect(view.manifestUrl).toBe('https://media.example.com/media/title-1/asset-1/hls/main.m3u8');
  });

  it('gives no manifest URL where the target has no media edge', () => {
    const view = toJobView(job({ status: 'READY', progress: 100, asset }), undefined);

    expect(view.asset).toEqual(asset);
    expect(view).not.toHaveProperty('manifestUrl');
  });

  it('hides an asset that is not yet published', () => {
    const view = toJobView(job({ status: 'VERIFYING', progress: 90, asset }), MEDIA_BASE_URL);

    expect(view).not.toHaveProperty('asset');
    expect(view).not.toHaveProperty('manifestUrl');
  });

  it('gives no manifest URL for a READY job that has no asset', () => {
    const view = toJobView(job({ status: 'READY', progress: 100 }), MEDIA_BASE_URL);

    expect(view).not.toHaveProperty('asset');
    expect(view).not.toHaveProperty('manifestUrl');
  });
});

describe('transcodeProgress', () => {
  it('starts at the TRANSCODING progress and ends at the VERIFYING progress', () => {
    expect(transcodeProgress(0)).toBe(10);
    expect(transcodeProgress(100)).toBe(90);
  });

  it('moves linearly between them', () => {
    expect(transcodeProgress(25)).toBe(30);
    expect(transcodeProgress(50)).toBe(50);
    expect(transcodeProgress(75)).toBe(70);
  });

  it('keeps one decimal', () => {
    expect(transcodeProgress(33)).toBe(36.4);
    expect(transcodeProgress(12.345)).toBe(19.9);
  });

  it('clamps percentages outside 0–100', () => {
    expect(transcodeProgress(-5)).toBe(10);
    expect(transcodeProgress(140)).toBe(90);
  });

  it('never moves backwards as MediaConvert reports more', () => {
    const reported = [0, 1, 7, 19, 33, 50, 68, 99, 100];

    const progress = reported.map(transcodeProgress);

    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
});

describe('describeFailure', () => {
  function lambdaCause(errorType: string, errorMessage: string, extra: Record<string, unknown> = {}): string {
    return JSON.stringify({ errorType, errorMessage, trace: [`${errorType}: ${errorMessage}`], ...extra });
  }

  it('says Unknown with INTERNAL_ERROR when nothing was caught', () => {
    expect(describeFailure(undefined)).toEqual({ code: 'INTERNAL_ERROR', reason: 'Unknown' });
    expect(describeFailure({})).toEqual({ code: 'INTERNAL_ERROR', reason: 'Unknown' });
  });

  it("reads a Lambda error's message out of its JSON cause", () => {
    const failure = describeFailure({
      Error: 'TypeError',
      Cause: lambdaCause('TypeError', 'x is undefined'),
    });

    expect(failure).toEqual({ code: 'INTERNAL_ERROR', reason: 'TypeError: x is undefined' });
  });

  it('takes the code a PipelineError carries at the start of its message (all the Lambda runtime reports)', () => {
    const failure = describeFailure({
      Error: 'PipelineError',
      Cause: lambdaCause(
        'PipelineError',
        new PipelineError('OUTPUT_INVALID', 'Playlist 360p.m3u8 has no segments.').message,
      ),
    });

    expect(failure).toEqual({
      code: 'OUTPUT_INVALID',
      reason: 'PipelineError: Playlist 360p.m3u8 has no segments.',
    });
  });

  it('does not take a code from errors other than PipelineError', () => {
    const failure = describeFailure({
      Error: 'ConditionalCheckFailedException',
      Cause: lambdaCause('ConditionalCheckFailedException', 'The conditional request failed', {
        code: 'ConditionalCheckFailedException',
      }),
    });

    expect(failure.code).toBe('INTERNAL_ERROR');
  });

  it('ignores a code field next to the message (the Lambda runtime never sends one)', () => {
    const failure = describeFailure({
      Error: 'PipelineError',
      Cause: lambdaCause('PipelineError', 'odd', { code: 'OUTPUT_INVALID' }),
    });

    expect(failure.code).toBe('INTERNAL_ERROR');
  });

  it('reports a MediaConvert failure as TRANSCODE_FAILED with the job error message', () => {
    const cause = JSON.stringify({
      Job: {
        Id: '1700000000000-abc123',
        Status: 'ERROR',
        ErrorCode: 1010,
        ErrorMessage: 'Unable to open input file',
      },
    });

    const failure = describeFailure({ Error: 'MediaConvert.AWSMediaConvertException', Cause: cause });

    expect(failure).toEqual({
      code: 'TRANSCODE_FAILED',
      reason: 'MediaConvert.AWSMediaConvertException: Unable to open input file',
    });
  });

  it('recognises a MediaConvert job in the cause even under another error name', () => {
    const cause = JSON.stringify({ Job: { Status: 'ERROR', ErrorMessage: 'Invalid audio track' } });

    const failure = describeFailure({ Error: 'States.TaskFailed', Cause: cause });

    expect(failure).toEqual({ code: 'TRANSCODE_FAILED', reason: 'States.TaskFailed: Invalid audio track' });
  });

  it('reports TIMED_OUT for States.Timeout', () => {
    expect(describeFailure({ Error: 'States.Timeout' })).toEqual({
      code: 'TIMED_OUT',
      reason: 'States.Timeout',
    });
  });

  it('prefers TIMED_OUT over TRANSCODE_FAILED when a transcode times out', () => {
    const failure = describeFailure({
      Error: 'States.Timeout',
      Cause: JSON.stringify({ Job: { Status: 'PROGRESSING' } }),
    });

    expect(failure.code).toBe('TIMED_OUT');
  });

  it('keeps a cause that is not JSON as it is', () => {
    const failure = describeFailure({
      Error: 'States.Runtime',
      Cause: 'An error occurred while executing the state.',
    });

    expect(failure).toEqual({
      code: 'INTERNAL_ERROR',
      reason: 'States.Runtime: An error occurred while executing the state.',
    });
  });

  it('keeps a JSON cause without a message as it is', () => {
    const cause = JSON.stringify({ status: 500 });

    expect(describeFailure({ Error: 'States.TaskFailed', Cause: cause }).reason).toBe(
      `States.TaskFailed: ${cause}`,
    );
  });

  it('survives a cause that is JSON null', () => {
    expect(describeFailure({ Error: 'States.TaskFailed', Cause: 'null' })).toEqual({
      code: 'INTERNAL_ERROR',
      reason: 'States.TaskFailed: null',
    });
  });

  it('looks for the message under errorMessage, then ErrorMessage, then Job.ErrorMessage, then message', () => {
    const all = { errorMessage: 'a', ErrorMessage: 'b', Job: { ErrorMessage: 'c' }, message: 'd' };

    expect(describeFailure({ Error: 'E', Cause: JSON.stringify(all) }).reason).toBe('E: a');
    expect(
      describeFailure({ Error: 'E', Cause: JSON.stringify({ ...all, errorMessage: undefined }) }).reason,
    ).toBe('E: b');
    expect(
      describeFailure({ Error: 'E', Cause: JSON.stringify({ Job: all.Job, message: 'd' }) }).reason,
    ).toBe('E: c');
    expect(describeFailure({ Error: 'E', Cause: JSON.stringify({ message: 'd' }) }).reason).toBe('E: d');
  });

  it('cuts a long reason at 500 characters with an ellipsis', () => {
    const failure = describeFailure({ Error: 'States.Runtime', Cause: 'x'.repeat(800) });

    expect(failure.reason).toBe(`States.Runtime: ${'x'.repeat(500)}…`);
  });

  it('keeps a reason of exactly 500 characters whole', () => {
    const failure = describeFailure({ Error: 'States.Runtime', Cause: 'x'.repeat(500) });

    expect(failure.reason).toBe(`States.Runtime: ${'x'.repeat(500)}`);
  });
});
