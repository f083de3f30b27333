/**
 * Rebuilds the catalog snapshot and the search index in the discovery bucket: on every batch of
 * the catalog table's stream (any change to any title), and when the recommendations workflow
 * starts (popularity moves daily). A whole rebuild per batch: the catalog is small next to a
 * Lambda's memory (thousands of titles), and a rebuild cannot drift from the catalog the way
 * incremental edits could.
 */
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { TOP10_DAYS } from '#contracts/discovery.ts';
import { ENV } from '#contracts/env.ts';
import { catalogSnapshotPageSchema, type SnapshotTitle } from '#contracts/internal.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { invokeInternal } from '#shared/invoke.ts';
import { logger } from '#shared/logger.ts';
import { dynamoDiscoveryTable } from '../adapters/discovery-table.ts';
import { writeSnapshot } from '../adapters/snapshot-bucket.ts';
import { buildSearchIndex } from '../domain/search.ts';
import { buildSnapshot } from '../domain/snapshot.ts';
import { lastDays } from '../domain/viewing-events.ts';

const table = dynamoDiscoveryTable(tableName('discovery'));
const s3 = s3Client();
const bucket = requireEnv(ENV.DISCOVERY_BUCKET);

async function catalogTitles(): Promise<SnapshotTitle[]> {
  const titles: SnapshotTitle[] = [];
  let cursor: string | undefined;
  do {
    const page = await invokeInternal(
      'catalogInternal',
      { op: 'snapshot', ...(cursor ? { cursor } : {}) },
      catalogSnapshotPageSchema,
    );
    titles.push(...page.titles);
    cursor = page.nextCursor;
  } while (cursor);
  return titles;
}

export const handler = functionHandler('indexCatalog', async (): Promise<DynamoDBBatchResponse> => {
  const now = new Date();
  const [titles, viewing] = await Promise.all([
    catalogTitles(),
    table.viewing('ALL', lastDays(now, TOP10_DAYS)),
  ]);
  const snapshot = buildSnapshot(titles, viewing, now);
  const index = buildSearchIndex(snapshot.titles, new Map(Object.entries(snapshot.popularity)));
  await writeSnapshot(s3, bucket, snapshot, index);
  logger.info('Catalog snapshot and search index rebuilt', {
    titles: titles.length,
    indexBytes: index.length,
  });
  // Nothing to retry record by record: a failure above fails the whole batch, which is retried.
  return { batchItemFailures: [] };
});
