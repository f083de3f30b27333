/**
 * Stream consumer (history and playback tables): viewing events → plays, unique viewers and
 * watch time per country, day and title, and the titles each profile liked with their
 * co-occurrence. Answers a partial batch response: Lambda retries from the first failed record.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { dynamoDiscoveryTable } from '../adapters/discovery-table.ts';
import { aggregate } from '../domain/aggregate.ts';
import type { ChangeRecord } from '../domain/viewing-events.ts';

const table = dynamoDiscoveryTable(tableName('discovery'));
const ports = { viewing: table, tastes: table, recordLike: table.recordLike };

type Image = Parameters<typeof unmarshall>[0];

function changeRecord(record: DynamoDBRecord): ChangeRecord {
  const { dynamodb } = record;
  return {
    eventId: record.eventID ?? dynamodb?.SequenceNumber ?? '',
    eventName: record.eventName ?? 'MODIFY',
    createdAtEpoch: dynamodb?.ApproximateCreationDateTime ?? Math.floor(Date.now() / 1000),
    ...(dynamodb?.NewImage ? { newImage: unmarshall(dynamodb.NewImage as Image) } : {}),
    ...(dynamodb?.OldImage ? { oldImage: unmarshall(dynamodb.OldImage as Image) } : {}),
  };
}

export const handler = functionHandler(
  'aggregateViewing',
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records = event.Records ?? [];
    const sequence = new Map(records.map((r) => [r.eventID ?? '', r.dynamodb?.SequenceNumber ?? '']));
    const outcome = await aggregate(ports, records.map(changeRecord), (record, error) =>
      logger.error('Viewing event not counted; the batch is retried from it', {
        eventId: record.eventId,
        error,
      }),
    );
    logger.info('Viewing events counted', { records: records.length, ...outcome });
    if (outcome.failedFrom === undefined) return { batchItemFailures: [] };
    return {
      batchItemFailures: [{ itemIdentifier: sequence.get(outcome.failedFrom) ?? outcome.failedFrom }],
    };
  },
);
