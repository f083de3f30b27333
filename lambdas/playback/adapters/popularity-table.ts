/**
 * Playback starts per title and UTC day, in the playback table: one item per (day, title),
 * `popularity#<day>#<titleId>`, counted with an atomic `ADD` (a start is one small write on its own
 * item, so titles never contend with each other), listed per day through the sparse index
 * `byDay` (`popularityDay`, `titleId`): only these items carry `popularityDay`. They expire
 * `KEEP_DAYS` after their day.
 */
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '#contracts/zod.ts';
import { documentClient } from '#shared/aws.ts';
import { logger } from '#shared/logger.ts';
import type { Popularity, PopularTitle } from '../domain/ports.ts';

const BY_DAY = 'byDay';
const KEEP_DAYS = 35;

const itemSchema = z.object({
  titleId: z.string(),
  assetId: z.string(),
  manifestKey: z.string(),
  starts: z.number(),
  lastStartedAt: z.string(),
});

export function dynamoPopularity(
  tableName: string,
  db: DynamoDBDocumentClient = documentClient(),
): Popularity {
  return {
    async recordStart(asset, at) {
      const day = at.toISOString().slice(0, 10);
      await db
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `popularity#${day}#${asset.titleId}` },
            UpdateExpression:
              'ADD #starts :one SET #day = :day, #title = :title, #asset = :asset, #manifest = :manifest, #last = :last, #expires = :expires',
            ExpressionAttributeNames: {
              '#starts': 'starts',
              '#day': 'popularityDay',
              '#title': 'titleId',
              '#asset': 'assetId',
              '#manifest': 'manifestKey',
              '#last': 'lastStartedAt',
              '#expires': 'expiresAtEpoch',
            },
            ExpressionAttributeValues: {
              ':one': 1,
              ':day': day,
              ':title': asset.titleId,
              ':asset': asset.assetId,
              ':manifest': asset.manifestKey,
              ':last': at.toISOString(),
              ':expires': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + KEEP_DAYS * 86_400,
            },
          }),
        )
        .catch((error: unknown) => {
          // Playback goes on without the count (the use case says so); the log keeps the trace.
          logger.warn('playback start not counted for prepositioning', {
            titleId: asset.titleId,
            error: error as Error,
          });
          throw error;
        });
    },

    async startsOn(days) {
      const byTitle = new Map<string, PopularTitle & { lastStartedAt: string }>();
      for (const day of days) {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await db.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: BY_DAY,
              KeyConditionExpression: '#day = :day',
              ExpressionAttributeNames: { '#day': 'popularityDay' },
              ExpressionAttributeValues: { ':day': day },
              ExclusiveStartKey: start,
            }),
          );
          for (const raw of page.Items ?? []) {
            const item = itemSchema.parse(raw);
            const seen = byTitle.get(item.titleId);
            const newer = !seen || item.lastStartedAt > seen.lastStartedAt ? item : seen;
            byTitle.set(item.titleId, { ...newer, starts: (seen?.starts ?? 0) + item.starts });
          }
          start = page.LastEvaluatedKey;
        } while (start);
      }
      return [...byTitle.values()].map(({ lastStartedAt: _, ...title }) => title);
    },
  };
}
