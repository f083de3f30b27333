import { describe, expect, it, vi } from 'vitest';
import type { LocalRule } from '#local/assembly.ts';
import { type BusEvent, LocalEventBus, matchesPattern } from '#local/event-bus.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Pattern = Parameters<typeof matchesPattern>[0];

const INGEST_BUCKET = 'showrunner-data-ingestbucket';

/** The two patterns the media pipeline stack synthesizes (with the bucket import resolved). */
const SOURCE_UPLOADED: Pattern = {
  source: ['aws.s3'],
  'detail-type': ['Object Created'],
  detail: { bucket: { name: [INGEST_BUCKET] }, object: { key: [{ prefix: 'sources/' }] } },
};
const TRANSCODE_PROGRESS: Pattern = {
  source: ['aws.mediaconvert'],
  'detail-type': ['MediaConvert Job State Change'],
  detail: { status: ['STATUS_UPDATE'], userMetadata: { showrunnerJobId: [{ exists: true }] } },
};

function s3ObjectCreated(bucket: string, key: string): Record<string, Json> {
  return {
    version: '0',
    source: 'aws.s3',
    'detail-type': 'Object Created',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: { bucket: { name: bucket }, object: { key, size: 1024 } },
  };
}

function mediaConvertStateChange(detail: Record<string, Json>): Record<string, Json> {
  return { source: 'aws.mediaconvert', 'detail-type': 'MediaConvert Job State Change', detail };
}

describe('matchesPattern', () => {
  describe('exact values', () => {
    it('matches an event whose source and detail-type are listed', () => {
      expect(matchesPattern(SOURCE_UPLOADED, s3ObjectCreated(INGEST_BUCKET, 'sources/job-1/a.mp4'))).toBe(
        true,
      );
    });

    it('rejects an event from another source', () => {
      const event = { ...s3ObjectCreated(INGEST_BUCKET, 'sources/job-1/a.mp4'), source: 'aws.s3control' };

      expect(matchesPattern(SOURCE_UPLOADED, event)).toBe(false);
    });

    it('rejects an event of another detail-type', () => {
      const event = {
        ...s3ObjectCreated(INGEST_BUCKET, 'sources/job-1/a.mp4'),
        'detail-type': 'Object Deleted',
      };

      expect(matchesPattern(SOURCE_UPLOADED, event)).toBe(false);
    });

    it('compares strings case-sensitively', () => {
      expect(matchesPattern({ source: ['aws.s3'] }, { source: 'AWS.S3' })).toBe(false);
    });

    it('does not coerce between strings and numbers or booleans', () => {
      expect(matchesPattern({ detail: { size: ['1024'] } }, { detail: { size: 1024 } })).toBe(false);
      expect(matchesPattern({ detail: { size: [1024] } }, { detail: { size: 1024 } })).toBe(true);
      expect(matchesPattern({ detail: { ok: ['true'] } }, { detail: { ok: true } })).toBe(false);
      expect(matchesPattern({ detail: { ok: [true] } }, { detail: { ok: true } })).toBe(true);
    });

    it('matches null only against a field that is present and null', () => {
      const pattern: Pattern = { detail: { errorCode: [null] } };

      expect(matchesPattern(pattern, { detail: { errorCode: null } })).toBe(true);
      expect(matchesPattern(pattern, { detail: {} })).toBe(false);
      expect(matchesPattern(pattern, { detail: { errorCode: 'E1' } })).toBe(false);
    });

    it('matches every event with an empty pattern', () => {
      expect(matchesPattern({}, s3ObjectCreated('any-bucket', 'any-key'))).toBe(true);
    });
  });

  describe('arrays', () => {
    it('treats the values in a pattern array as alternatives (OR)', () => {
      const pattern: Pattern = { detail: { status: ['COMPLETE', 'ERROR'] } };

      expect(matchesPattern(pattern, { detail: { status: 'COMPLETE' } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { status: 'ERROR' } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { status: 'PROGRESSING' } })).toBe(false);
    });

    it('requires every field of the pattern to match (AND)', () => {
      const pattern: Pattern = { source: ['aws.mediaconvert'], detail: { status: ['COMPLETE'] } };

      expect(matchesPattern(pattern, { source: 'aws.mediaconvert', detail: { status: 'ERROR' } })).toBe(
        false,
      );
      expect(matchesPattern(pattern, { source: 'aws.s3', detail: { status: 'COMPLETE' } })).toBe(false);
      expect(matchesPattern(pattern, { source: 'aws.mediaconvert', detail: { status: 'COMPLETE' } })).toBe(
        true,
      );
    });

    it('matches an array in the event when any of its elements matches', () => {
      const pattern: Pattern = { resources: ['arn:aws:s3:::media'] };

      expect(matchesPattern(pattern, { resources: ['arn:aws:s3:::ingest', 'arn:aws:s3:::media'] })).toBe(
        true,
      );
      expect(matchesPattern(pattern, { resources: ['arn:aws:s3:::ingest'] })).toBe(false);
      expect(matchesPattern(pattern, { resources: [] })).toBe(false);
    });

    it('never matches an empty list of alternatives', () => {
      expect(matchesPattern({ source: [] }, { source: 'aws.s3' })).toBe(false);
    });

    it('never matches a bare scalar where EventBridge requires an array', () => {
      expect(matchesPattern({ source: 'aws.s3' }, { source: 'aws.s3' })).toBe(false);
    });
  });

  describe('nested detail', () => {
    it('matches nested objects field by field', () => {
      expect(matchesPattern(SOURCE_UPLOADED, s3ObjectCreated('another-bucket', 'sources/job-1/a.mp4'))).toBe(
        false,
      );
    });

    it('ignores fields of the event that the pattern does not name', () => {
      const event = s3ObjectCreated(INGEST_BUCKET, 'sources/job-1/a.mp4');
      (event.detail as Record<string, Json>).reason = 'PutObject';

      expect(matchesPattern(SOURCE_UPLOADED, event)).toBe(true);
    });

    it('does not match when the event has a scalar where the pattern has an object', () => {
      const pattern: Pattern = { detail: { bucket: { name: [INGEST_BUCKET] } } };

      expect(matchesPattern(pattern, { detail: { bucket: INGEST_BUCKET } })).toBe(false);
      expect(matchesPattern(pattern, { detail: { bucket: null } })).toBe(false);
      expect(matchesPattern(pattern, { detail: { bucket: [INGEST_BUCKET] } })).toBe(false);
    });
  });

  describe('missing fields', () => {
    it('does not match an event without a field the pattern lists', () => {
      const event = mediaConvertStateChange({ userMetadata: { showrunnerJobId: 'job-1' } });

      expect(matchesPattern(TRANSCODE_PROGRESS, event)).toBe(false);
    });

    it('does not match an event without the nested object the pattern descends into', () => {
      const event = s3ObjectCreated(INGEST_BUCKET, 'sources/job-1/a.mp4');
      delete (event.detail as Record<string, Json>).object;

      expect(matchesPattern(SOURCE_UPLOADED, event)).toBe(false);
    });

    it('does not match an event without a detail at all', () => {
      expect(matchesPattern(SOURCE_UPLOADED, { source: 'aws.s3', 'detail-type': 'Object Created' })).toBe(
        false,
      );
    });

    it('matches nothing against an undefined event except the empty pattern', () => {
      expect(matchesPattern({ source: ['aws.s3'] }, undefined)).toBe(false);
      expect(matchesPattern({}, undefined)).toBe(true);
    });
  });

  describe('prefix and suffix', () => {
    it('matches keys under the prefix', () => {
      expect(matchesPattern(SOURCE_UPLOADED, s3ObjectCreated(INGEST_BUCKET, 'sources/job-1/a.mp4'))).toBe(
        true,
      );
    });

    it('rejects keys outside the prefix, including a case variant and the prefix without its slash', () => {
      for (const key of ['sidecars/job-1/en.vtt', 'Sources/job-1/a.mp4', 'sources', 'x/sources/a.mp4']) {
        expect(matchesPattern(SOURCE_UPLOADED, s3ObjectCreated(INGEST_BUCKET, key)), key).toBe(false);
      }
    });

    it('matches the prefix itself', () => {
      expect(matchesPattern(SOURCE_UPLOADED, s3ObjectCreated(INGEST_BUCKET, 'sources/'))).toBe(true);
    });

    it('applies prefix and suffix to strings only', () => {
      expect(matchesPattern({ detail: { n: [{ prefix: '12' }] } }, { detail: { n: 123 } })).toBe(false);
      expect(matchesPattern({ detail: { n: [{ suffix: '23' }] } }, { detail: { n: 123 } })).toBe(false);
    });

    it('matches a suffix at the end of the value only', () => {
      const pattern: Pattern = { detail: { object: { key: [{ suffix: '.mp4' }] } } };

      expect(matchesPattern(pattern, { detail: { object: { key: 'sources/a.mp4' } } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { object: { key: 'sources/a.mp4.part' } } })).toBe(false);
      expect(matchesPattern(pattern, { detail: { object: { key: 'sources/a.MP4' } } })).toBe(false);
    });

    it('mixes matchers and literals as alternatives', () => {
      const pattern: Pattern = { detail: { object: { key: [{ prefix: 'sources/' }, 'manifest.json'] } } };

      expect(matchesPattern(pattern, { detail: { object: { key: 'manifest.json' } } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { object: { key: 'sources/a.mp4' } } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { object: { key: 'media/a.m3u8' } } })).toBe(false);
    });
  });

  describe('exists', () => {
    it('matches a present field with exists: true', () => {
      const event = mediaConvertStateChange({
        status: 'STATUS_UPDATE',
        userMetadata: { showrunnerJobId: 'job-1' },
      });

      expect(matchesPattern(TRANSCODE_PROGRESS, event)).toBe(true);
    });

    it("rejects another account's MediaConvert job that carries no showrunnerJobId", () => {
      const event = mediaConvertStateChange({ status: 'STATUS_UPDATE', userMetadata: { otherTag: 'x' } });

      expect(matchesPattern(TRANSCODE_PROGRESS, event)).toBe(false);
    });

    it('matches an absent field with exists: false, and not a present one', () => {
      const pattern: Pattern = { detail: { errorCode: [{ exists: false }] } };

      expect(matchesPattern(pattern, { detail: { status: 'COMPLETE' } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { status: 'ERROR', errorCode: 1010 } })).toBe(false);
    });
  });

  describe('anything-but and equals-ignore-case', () => {
    it('matches values other than the excluded one', () => {
      const pattern: Pattern = { detail: { status: [{ 'anything-but': 'STATUS_UPDATE' }] } };

      expect(matchesPattern(pattern, { detail: { status: 'COMPLETE' } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { status: 'STATUS_UPDATE' } })).toBe(false);
    });

    it('excludes every value of a list', () => {
      const pattern: Pattern = { detail: { status: [{ 'anything-but': ['COMPLETE', 'ERROR'] }] } };

      expect(matchesPattern(pattern, { detail: { status: 'PROGRESSING' } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { status: 'ERROR' } })).toBe(false);
    });

    it('excludes by prefix', () => {
      const pattern: Pattern = { detail: { object: { key: [{ 'anything-but': { prefix: 'sidecars/' } }] } } };

      expect(matchesPattern(pattern, { detail: { object: { key: 'sources/a.mp4' } } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { object: { key: 'sidecars/en.vtt' } } })).toBe(false);
    });

    it('does not match a missing field with anything-but', () => {
      const pattern: Pattern = { detail: { status: [{ 'anything-but': 'ERROR' }] } };

      expect(matchesPattern(pattern, { detail: {} })).toBe(false);
    });

    it('compares ignoring case only when asked to', () => {
      const pattern: Pattern = { detail: { status: [{ 'equals-ignore-case': 'complete' }] } };

      expect(matchesPattern(pattern, { detail: { status: 'COMPLETE' } })).toBe(true);
      expect(matchesPattern(pattern, { detail: { status: 'COMPLETED' } })).toBe(false);
    });
  });

  describe('unsupported matchers', () => {
    it('refuses a matcher it does not implement instead of guessing', () => {
      const pattern: Pattern = { detail: { percent: [{ numeric: ['>', 50] }] } };

      expect(() => matchesPattern(pattern, { detail: { percent: 75 } })).toThrow(
        'Event pattern matcher "numeric" is not supported locally',
      );
    });
  });
});

describe('LocalEventBus', () => {
  const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Encode';
  const RECORD_PROGRESS_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:RecordProgress';
  const AUDIT_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:Audit';
  const rules: LocalRule[] = [
    { logicalId: 'SourceUploaded', eventPattern: SOURCE_UPLOADED, targets: [{ arn: STATE_MACHINE_ARN }] },
    {
      logicalId: 'TranscodeProgress',
      eventPattern: TRANSCODE_PROGRESS,
      targets: [{ arn: RECORD_PROGRESS_ARN }, { arn: AUDIT_ARN }],
    },
  ];
  const upload: BusEvent = {
    source: 'aws.s3',
    'detail-type': 'Object Created',
    detail: { bucket: { name: INGEST_BUCKET }, object: { key: 'sources/job-1/a.mp4', size: 2048 } },
  };

  function busWith(invoke = vi.fn(async (_arn: string, _event: Record<string, Json>) => {})) {
    const onError = vi.fn();
    return { bus: new LocalEventBus(rules, invoke, onError), invoke, onError };
  }

  it("delivers an event to the matching rule's target only", () => {
    const { bus, invoke } = busWith();

    const delivered = bus.put(upload);

    expect(delivered).toBe(1);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith(STATE_MACHINE_ARN, expect.objectContaining({ source: 'aws.s3' }));
  });

  it('delivers to every target of a matching rule', () => {
    const { bus, invoke } = busWith();

    const delivered = bus.put({
      source: 'aws.mediaconvert',
      'detail-type': 'MediaConvert Job State Change',
      detail: { status: 'STATUS_UPDATE', userMetadata: { showrunnerJobId: 'job-1' } },
    });

    expect(delivered).toBe(2);
    expect(invoke.mock.calls.map(([arn]) => arn)).toEqual([RECORD_PROGRESS_ARN, AUDIT_ARN]);
  });

  it('delivers nothing when no rule matches', () => {
    const { bus, invoke } = busWith();

    const delivered = bus.put({
      ...upload,
      detail: { ...upload.detail, object: { key: 'sidecars/job-1/en.vtt' } },
    });

    expect(delivered).toBe(0);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('wraps the event in the EventBridge envelope targets receive', () => {
    const { bus, invoke } = busWith();

    bus.put({ ...upload, resources: [`arn:aws:s3:::${INGEST_BUCKET}`] });

    const envelope = invoke.mock.calls[0]?.[1];
    expect(envelope).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      region: 'us-east-1',
      resources: [`arn:aws:s3:::${INGEST_BUCKET}`],
      detail: upload.detail,
    });
  });

  it('gives each event its own id and an empty resources list by default', () => {
    const { bus, invoke } = busWith();

    bus.put(upload);
    bus.put(upload);

    const [first, second] = invoke.mock.calls.map(([, event]) => event);
    expect(first?.resources).toEqual([]);
    expect(first?.id).not.toBe(second?.id);
  });

  it('reports a failed delivery with its target instead of throwing from put', async () => {
    const failure = new Error('state machine is gone');
    const { bus, onError } = busWith(vi.fn(async () => Promise.reject(failure)));

    const delivered = bus.put(upload);
    await vi.waitFor(() => expect(onError).toHaveBeenCalled());

    expect(delivered).toBe(1);
    expect(onError).toHaveBeenCalledWith(failure, STATE_MACHINE_ARN);
  });
});
