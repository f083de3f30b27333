/**
 * The local stream poller's pure parts: Lambda's event filtering on stream records, the reading
 * of a partial batch response, and the record shape handed to the function.
 */
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionDeclaration, type FunctionId } from '#contracts/functions.ts';
import {
  assertSupportedFilter,
  matchesAnyFilter,
  matchesFilter,
  UnsupportedFilterError,
} from '#local/streams/filter.ts';
import { partialFailure } from '#local/streams/poller.ts';
import { lambdaRecord, regionalStreamArn } from '#local/streams/records.ts';

type Pattern = Parameters<typeof matchesFilter>[0];

/** A stream record as the function receives it. */
function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  keys: Record<string, { S: string }>,
  newImage?: Record<string, unknown>,
) {
  return {
    eventID: 'e1',
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: { Keys: keys, ...(newImage ? { NewImage: newImage } : {}), SequenceNumber: '100' },
  };
}

/** The patterns a declared stream source filters with. */
function declaredFilters(mappingId: string): Pattern[] {
  for (const id of Object.keys(FUNCTIONS) as FunctionId[]) {
    const declaration: FunctionDeclaration = FUNCTIONS[id];
    const source = (declaration.streams ?? []).find((s) => s.mappingId === mappingId);
    if (source) return (source.filters ?? []) as Pattern[];
  }
  throw new Error(`No stream source ${mappingId}`);
}

describe('stream filters', () => {
  describe('exact values', () => {
    it('admits a record whose field equals one value of the list', () => {
      expect(matchesFilter({ eventName: ['INSERT', 'MODIFY'] }, record('MODIFY', {}))).toBe(true);
    });

    it('refuses a record whose field equals none of them', () => {
      expect(matchesFilter({ eventName: ['INSERT', 'MODIFY'] }, record('REMOVE', {}))).toBe(false);
    });

    it('refuses a record that lacks the field', () => {
      expect(matchesFilter({ userIdentity: ['x'] }, record('INSERT', {}))).toBe(false);
    });

    it('matches numbers and booleans by value, not by their text', () => {
      expect(matchesFilter({ n: [5] }, { n: 5 })).toBe(true);
      expect(matchesFilter({ n: [5] }, { n: '5' })).toBe(false);
      expect(matchesFilter({ b: [true] }, { b: true })).toBe(true);
    });

    it('admits a list field when any of its elements matches', () => {
      expect(matchesFilter({ tags: ['drama'] }, { tags: ['comedy', 'drama'] })).toBe(true);
      expect(matchesFilter({ tags: ['horror'] }, { tags: ['comedy', 'drama'] })).toBe(false);
    });
  });

  describe('nested objects', () => {
    it('follows nested patterns into the DynamoDB keys and images', () => {
      const pattern = { dynamodb: { Keys: { pk: { S: ['session#1'] } } } };

      expect(matchesFilter(pattern, record('INSERT', { pk: { S: 'session#1' } }))).toBe(true);
      expect(matchesFilter(pattern, record('INSERT', { pk: { S: 'session#2' } }))).toBe(false);
    });

    it('refuses a record where the nested object is missing or a scalar', () => {
      const pattern = { dynamodb: { NewImage: { status: { S: ['READY'] } } } };

      expect(matchesFilter(pattern, record('REMOVE', { pk: { S: 'a' } }))).toBe(false);
      expect(matchesFilter(pattern, { dynamodb: { NewImage: 'READY' } })).toBe(false);
    });
  });

  describe('prefix and suffix', () => {
    it('admits strings that start with the prefix, and nothing else', () => {
      const pattern = { dynamodb: { Keys: { pk: { S: [{ prefix: 'session#' }] } } } };

      expect(matchesFilter(pattern, record('INSERT', { pk: { S: 'session#9' } }))).toBe(true);
      expect(matchesFilter(pattern, record('INSERT', { pk: { S: 'account#9' } }))).toBe(false);
      expect(matchesFilter(pattern, { dynamodb: { Keys: { pk: { N: '7' } } } })).toBe(false);
    });

    it('admits strings that end with the suffix', () => {
      expect(matchesFilter({ name: [{ suffix: '.m3u8' }] }, { name: 'index.m3u8' })).toBe(true);
      expect(matchesFilter({ name: [{ suffix: '.m3u8' }] }, { name: 'seg.ts' })).toBe(false);
    });
  });

  describe('exists', () => {
    it('exists: true admits a record that has the attribute and refuses one that lacks it', () => {
      const pattern = { dynamodb: { NewImage: { liked: { BOOL: [{ exists: true }] } } } };

      expect(matchesFilter(pattern, { dynamodb: { NewImage: { liked: { BOOL: true } } } })).toBe(true);
      expect(matchesFilter(pattern, { dynamodb: { NewImage: {} } })).toBe(false);
    });

    it('exists looks at leaves only, as Lambda does: an object under the name does not count', () => {
      const pattern = { dynamodb: { NewImage: { liked: [{ exists: true }] } } };

      expect(matchesFilter(pattern, { dynamodb: { NewImage: { liked: { BOOL: true } } } })).toBe(false);
    });

    it('exists: false admits a record without the attribute, even when its parent is missing too', () => {
      const pattern = { dynamodb: { OldImage: { pk: { S: [{ exists: false }] } } } };

      expect(matchesFilter(pattern, record('INSERT', { pk: { S: 'a' } }))).toBe(true);
      expect(matchesFilter(pattern, { dynamodb: { OldImage: { pk: { S: 'a' } } } })).toBe(false);
    });
  });

  describe('other matchers', () => {
    it('anything-but refuses the listed values and admits others', () => {
      expect(matchesFilter({ eventName: [{ 'anything-but': ['REMOVE'] }] }, record('INSERT', {}))).toBe(true);
      expect(matchesFilter({ eventName: [{ 'anything-but': ['REMOVE'] }] }, record('REMOVE', {}))).toBe(
        false,
      );
    });

    it('numeric compares DynamoDB numbers, which arrive as strings', () => {
      const pattern = { dynamodb: { NewImage: { positionSec: { N: [{ numeric: ['>', 0, '<=', 60] }] } } } };

      expect(matchesFilter(pattern, { dynamodb: { NewImage: { positionSec: { N: '30' } } } })).toBe(true);
      expect(matchesFilter(pattern, { dynamodb: { NewImage: { positionSec: { N: '61' } } } })).toBe(false);
      expect(matchesFilter(pattern, { dynamodb: { NewImage: { positionSec: { S: 'x' } } } })).toBe(false);
    });

    it('equals-ignore-case compares strings regardless of case', () => {
      expect(matchesFilter({ eventName: [{ 'equals-ignore-case': 'insert' }] }, record('INSERT', {}))).toBe(
        true,
      );
    });
  });

  describe('several patterns', () => {
    it('admits a record that any one pattern matches', () => {
      const patterns = [{ eventName: ['INSERT'] }, { eventName: ['REMOVE'] }];

      expect(matchesAnyFilter(patterns, record('REMOVE', {}))).toBe(true);
      expect(matchesAnyFilter(patterns, record('MODIFY', {}))).toBe(false);
    });

    it('admits every record when there is no pattern', () => {
      expect(matchesAnyFilter([], record('REMOVE', {}))).toBe(true);
    });
  });

  describe('the declared stream sources', () => {
    it('PlaybackStartEvents admits new sessions only, not account updates nor session changes', () => {
      const filters = declaredFilters('PlaybackStartEvents');

      expect(matchesAnyFilter(filters, record('INSERT', { pk: { S: 'session#s1' } }))).toBe(true);
      expect(matchesAnyFilter(filters, record('INSERT', { pk: { S: 'account#a1' } }))).toBe(false);
      expect(matchesAnyFilter(filters, record('INSERT', { pk: { S: 'popularity#2026-01-01#t1' } }))).toBe(
        false,
      );
      expect(matchesAnyFilter(filters, record('MODIFY', { pk: { S: 'session#s1' } }))).toBe(false);
      expect(matchesAnyFilter(filters, record('REMOVE', { pk: { S: 'session#s1' } }))).toBe(false);
    });

    it('HistoryViewingEvents admits heartbeats (inserts and updates), not deletions', () => {
      const filters = declaredFilters('HistoryViewingEvents');
      const keys = { profileKey: { S: 'a#p' }, titleId: { S: 't' } };

      expect(matchesAnyFilter(filters, record('INSERT', keys))).toBe(true);
      expect(matchesAnyFilter(filters, record('MODIFY', keys))).toBe(true);
      expect(matchesAnyFilter(filters, record('REMOVE', keys))).toBe(false);
    });

    it('uses only matchers the local poller implements', () => {
      for (const id of Object.keys(FUNCTIONS) as FunctionId[]) {
        const declaration: FunctionDeclaration = FUNCTIONS[id];
        for (const source of declaration.streams ?? []) {
          for (const pattern of source.filters ?? [])
            expect(() => assertSupportedFilter(pattern as Pattern)).not.toThrow();
        }
      }
    });
  });

  describe('unsupported patterns', () => {
    it('refuses an unknown matcher, wherever it sits in the list', () => {
      expect(() => assertSupportedFilter({ eventName: ['INSERT', { wildcard: 'IN*' }] })).toThrow(
        UnsupportedFilterError,
      );
      expect(() => assertSupportedFilter({ eventName: ['INSERT', { wildcard: 'IN*' }] })).toThrow(
        'Filter matcher "wildcard" is not supported by the local stream poller.',
      );
    });

    it('refuses a field given a bare value instead of a list', () => {
      expect(() => assertSupportedFilter({ eventName: 'INSERT' })).toThrow(UnsupportedFilterError);
    });

    it('refuses a numeric matcher with an unknown operator', () => {
      expect(() => assertSupportedFilter({ n: [{ numeric: ['!=', 1] }] })).toThrow(
        'numeric operator "!=" is unknown.',
      );
    });
  });
});

describe('partial batch responses', () => {
  const batch = [{ sequenceNumber: '100' }, { sequenceNumber: '200' }, { sequenceNumber: '300' }];

  it('treats no response, no list and an empty list as a complete success', () => {
    expect(partialFailure(undefined, batch)).toBeUndefined();
    expect(partialFailure(null, batch)).toBeUndefined();
    expect(partialFailure({}, batch)).toBeUndefined();
    expect(partialFailure({ batchItemFailures: [] }, batch)).toBeUndefined();
  });

  it('retries from the lowest failed record, whatever order the failures come in', () => {
    const failure = partialFailure(
      { batchItemFailures: [{ itemIdentifier: '300' }, { itemIdentifier: '200' }] },
      batch,
    );

    expect(failure).toEqual({ kind: 'partial', firstFailed: 1, identifiers: ['300', '200'] });
  });

  it('fails the whole batch on an empty, missing or unknown identifier', () => {
    expect(partialFailure({ batchItemFailures: [{ itemIdentifier: '' }] }, batch)?.firstFailed).toBe(0);
    expect(partialFailure({ batchItemFailures: [{}] }, batch)?.firstFailed).toBe(0);
    expect(partialFailure({ batchItemFailures: [{ itemIdentifier: '999' }] }, batch)?.firstFailed).toBe(0);
    expect(
      partialFailure({ batchItemFailures: [{ itemIdentifier: '300' }, { identifier: '100' }] }, batch)
        ?.firstFailed,
    ).toBe(0);
  });
});

describe('stream records as the function receives them', () => {
  const sdkRecord: StreamRecord = {
    eventID: 'abc',
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: new Date('2026-03-01T12:00:30.000Z'),
      Keys: { pk: { S: 'session#1' } },
      NewImage: { pk: { S: 'session#1' }, blob: { B: Uint8Array.from([1, 2, 3]) }, n: { N: '5' } },
      OldImage: { pk: { S: 'session#1' }, list: { L: [{ BS: [Uint8Array.from([255])] }] } },
      SequenceNumber: '000000000000000000042',
      SizeBytes: 64,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };

  it('has the DynamoDBStreamEvent shape: epoch seconds, region, binaries in base64, the stream ARN', () => {
    const arn = regionalStreamArn(
      'arn:aws:dynamodb:ddblocal:000000000000:table/T/stream/2026-01-01T00:00:00.000',
      'us-east-1',
    );

    expect(lambdaRecord(sdkRecord, { region: 'us-east-1', streamArn: arn })).toEqual({
      eventID: 'abc',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: Date.parse('2026-03-01T12:00:30.000Z') / 1000,
        Keys: { pk: { S: 'session#1' } },
        NewImage: { pk: { S: 'session#1' }, blob: { B: 'AQID' }, n: { N: '5' } },
        OldImage: { pk: { S: 'session#1' }, list: { L: [{ BS: ['/w=='] }] } },
        SequenceNumber: '000000000000000000042',
        SizeBytes: 64,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2026-01-01T00:00:00.000',
    });
  });
});
