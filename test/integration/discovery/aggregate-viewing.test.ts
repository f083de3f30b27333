/**
 * The stream aggregator's handler, called as Lambda calls it: a DynamoDB Streams batch of the
 * playback and history tables (images marshalled, as Lambda sends them), against DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDiscoveryTable } from '../../../lambdas/discovery/adapters/discovery-table.ts';
import { lastDays } from '../../../lambdas/discovery/domain/viewing-events.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';
import { jsonLinesOf } from '../../support/logs.ts';
import { lambdaContext } from '../profiles/api-event.ts';

type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: typeof lambdaContext,
) => Promise<DynamoDBBatchResponse>;

let dynamo: TestDynamo;
let tableName: string;
let table: ReturnType<typeof dynamoDiscoveryTable>;
let handler: StreamHandler;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  tableName = await dynamo.createTable('discovery');
  table = dynamoDiscoveryTable(tableName);
  // The handler reads its table's name (`tableEnv('discovery')`, set by createTable) at load.
  handler = (await import('../../../lambdas/discovery/handlers/aggregate-viewing.ts'))
    .handler as StreamHandler;
});

afterAll(async () => {
  await dynamo?.stop();
});

const NOW_EPOCH = Math.floor(Date.now() / 1000);
const [TODAY = ''] = lastDays(new Date(NOW_EPOCH * 1000), 1);
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

let sequenceNumber = 1_000;
type Image = Record<string, unknown>;

/** A stream record as Lambda hands it over. */
function streamRecord(
  source: 'playback' | 'history',
  eventName: 'INSERT' | 'MODIFY',
  newImage: Image,
  oldImage?: Image,
): DynamoDBRecord {
  sequenceNumber += 1;
  const keys =
    source === 'playback'
      ? { pk: newImage.pk }
      : { profileKey: newImage.profileKey, titleId: newImage.titleId };
  return {
    eventID: randomUUID().replaceAll('-', ''),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:dynamodb:us-east-1:123456789012:table/${source}/stream/2026-11-01T00:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: NOW_EPOCH,
      Keys: marshall(keys) as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: marshall(newImage, { removeUndefinedValues: true }) as NonNullable<
        DynamoDBRecord['dynamodb']
      >['NewImage'],
      ...(oldImage
        ? { OldImage: marshall(oldImage) as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'] }
        : {}),
      SequenceNumber: String(sequenceNumber).padStart(21, '0'),
      SizeBytes: 200,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

function sessionStarted(
  accountId: string,
  profileId: string,
  titleId: string,
  extra: Image = {},
): DynamoDBRecord {
  const sessionId = randomUUID();
  return streamRecord('playback', 'INSERT', {
    pk: `session#${sessionId}`,
    sessionId,
    accountId,
    profileId,
    titleId,
    country: 'US',
    assetId: 'asset-1',
    manifestKey: 'hls/asset-1/master.m3u8',
    maxHeight: 1080,
    status: 'ACTIVE',
    startedAt: new Date(NOW_EPOCH * 1000).toISOString(),
    expiresAtEpoch: NOW_EPOCH + 300,
    tokenExpiresAtEpoch: NOW_EPOCH + 3600,
    ...extra,
  });
}

function heartbeat(
  profileKey: string,
  titleId: string,
  positionSec: number,
  before?: number,
  extra: Image = {},
) {
  const image = (position: number): Image => ({
    profileKey,
    titleId,
    positionSec: position,
    durationSec: 1_000,
    clientTs: NOW_EPOCH * 1000 + position,
    updatedAt: new Date(NOW_EPOCH * 1000).toISOString(),
    finished: false,
    country: 'US',
    ...extra,
  });
  return before === undefined
    ? streamRecord('history', 'INSERT', image(positionSec))
    : streamRecord('history', 'MODIFY', image(positionSec), image(before));
}

const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

/** Invokes the handler as Lambda does, keeping its log lines. */
async function invoke(event: DynamoDBStreamEvent) {
  let response: DynamoDBBatchResponse | undefined;
  const logs = await jsonLinesOf(async () => {
    response = await handler(event, lambdaContext);
  });
  return { response, logs };
}

describe('aggregateViewing', () => {
  it('counts plays, watch time and likes from a stream batch', async () => {
    const [movie, show] = [unique('movie'), unique('show')];
    const profileKey = `${unique('acct')}#${unique('prof')}`;
    const [accountId = '', profileId = ''] = profileKey.split('#');
    const episode = { seriesId: show };

    const { response } = await invoke(
      batch(
        sessionStarted(accountId, profileId, movie),
        heartbeat(profileKey, movie, 30),
        heartbeat(profileKey, movie, 55, 30),
        sessionStarted(accountId, profileId, `${show}-e1`, episode),
        heartbeat(profileKey, `${show}-e1`, 510, 480, episode),
      ),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    const viewing = await table.viewing('US', [TODAY]);
    expect(viewing.get(movie)).toEqual({ plays: 1, viewers: 1, watchSec: 55 });
    expect(viewing.get(show)).toEqual({ plays: 1, viewers: 1, watchSec: 30 });
    expect(viewing.get(`${show}-e1`)).toBeUndefined();
    expect((await table.viewing('ALL', [TODAY])).get(show)).toEqual({ plays: 1, viewers: 1, watchSec: 30 });
    expect(await table.likesOf(profileKey)).toEqual([
      { titleId: show, likedAt: new Date(NOW_EPOCH * 1000).toISOString(), finished: false },
    ]);
  });

  it('names the record whose write failed, and counts nothing twice when the batch comes again', async () => {
    const [movie, broken, show] = [unique('movie'), unique('broken'), unique('show')];
    const earlier = unique('liked');
    const profileKey = `${unique('acct')}#${unique('prof')}`;
    const [accountId = '', profileId = ''] = profileKey.split('#');
    await table.recordLike(
      profileKey,
      { titleId: earlier, likedAt: '2026-11-01T00:00:00.000Z', finished: true },
      [],
    );
    // A count item holding text where a number belongs: adding to it fails until it is repaired.
    const brokenKey = { pk: { S: `views#US#${TODAY}` }, sk: { S: broken } };
    await dynamo.emulator.client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...brokenKey, plays: { S: 'not a number' } } }),
    );
    const failing = sessionStarted(accountId, profileId, broken);
    const event = batch(
      sessionStarted(accountId, profileId, movie),
      heartbeat(profileKey, movie, 40),
      failing,
      heartbeat(profileKey, `${show}-e2`, 520, 490, { seriesId: show }),
      sessionStarted(accountId, profileId, movie),
    );

    const first = await invoke(event);

    expect(first.response).toEqual({
      batchItemFailures: [{ itemIdentifier: failing.dynamodb?.SequenceNumber }],
    });
    expect(first.logs).toContainEqual(expect.objectContaining({ level: 'ERROR', eventId: failing.eventID }));
    // Stopped at the failure: what came before counted, nothing after it.
    let viewing = await table.viewing('US', [TODAY]);
    expect(viewing.get(movie)).toEqual({ plays: 1, viewers: 1, watchSec: 40 });
    expect(viewing.get(show)).toBeUndefined();
    expect((await table.likesOf(profileKey)).map((l) => l.titleId)).toEqual([earlier]);

    await dynamo.emulator.client.send(new DeleteItemCommand({ TableName: tableName, Key: brokenKey }));
    const retried = await invoke(event);
    const again = await invoke(event);

    expect(retried.response).toEqual({ batchItemFailures: [] });
    expect(again.response).toEqual({ batchItemFailures: [] });
    viewing = await table.viewing('US', [TODAY]);
    expect(viewing.get(movie)).toEqual({ plays: 2, viewers: 1, watchSec: 40 });
    expect(viewing.get(broken)).toEqual({ plays: 1, viewers: 1, watchSec: 0 });
    expect(viewing.get(show)).toEqual({ plays: 0, viewers: 0, watchSec: 30 });
    expect((await table.likesOf(profileKey)).map((l) => l.titleId).sort()).toEqual([earlier, show].sort());
    expect((await table.likeCounts()).get(show)).toBe(1);
    expect(await table.coOccurrence(show)).toEqual(new Map([[earlier, 1]]));
    expect(await table.coOccurrence(earlier)).toEqual(new Map([[show, 1]]));
  });

  it('reports a record that fails every time, each time the batch comes', async () => {
    // A title id over the sort key's 1 KB limit: DynamoDB refuses the write outright.
    const poison = sessionStarted('acct-p', 'prof-p', `poison-${'x'.repeat(1_100)}`);
    const before = sessionStarted('acct-p', 'prof-p', unique('movie'));

    const first = await invoke(batch(before, poison));
    const second = await invoke(batch(before, poison));

    const expected = { batchItemFailures: [{ itemIdentifier: poison.dynamodb?.SequenceNumber }] };
    expect(first.response).toEqual(expected);
    expect(second.response).toEqual(expected);
  });

  it('ignores records that are no viewing event', async () => {
    const { response } = await invoke(
      batch(
        streamRecord('playback', 'INSERT', { pk: `account#${unique('acct')}`, streams: {}, version: 1 }),
        sessionStarted('acct-1', 'prof-1', unique('movie'), { country: undefined }),
      ),
    );

    expect(response).toEqual({ batchItemFailures: [] });
  });
});
