/**
 * What each endpoint does in DynamoDB per request, made the way its handler makes it: the
 * service's own adapter (`dynamoHistoryStore(...).record`, `dynamoTitlesTable(...).get`) with the
 * functions' own SDK client (`documentClient()`, lambdas/shared/aws.ts), straight against the
 * platform's DynamoDB Local. Nothing is restated here, so the raw side measures the operation the
 * handler runs, whatever the adapter does today.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoTitlesTable } from '#catalog/adapters/titles-table.ts';
import { TABLES } from '#contracts/tables.ts';
import { dynamoHistoryStore } from '#history/adapters/history-table.ts';
import { isFinished, profileKey } from '#history/domain/history.ts';
import type { HistoryRecord } from '#history/domain/ports.ts';
import { LOCAL_REGION } from '#local/assembly.ts';
import { LOCAL_CREDENTIALS } from '#local/emulators/dynamodb.ts';
import { documentClient } from '#shared/aws.ts';
import type { BenchTitle } from './fixtures.ts';
import { heartbeatBody } from './fixtures.ts';
import type { RawOutcome } from './raw-run.ts';

export interface RawOperations {
  /** The heartbeat's one conditional UpdateItem, for `title`, as `recordHeartbeat` builds it for a movie. */
  heartbeat(title: BenchTitle, beat: number, clientTs: number): Promise<RawOutcome>;
  /** The title's one GetItem (a movie: no `bySeries` query). */
  title(titleId: string): Promise<RawOutcome>;
  /** The attribute names the history item of `titleId` holds now (consistent read), sorted. */
  historyAttributes(titleId: string): Promise<string>;
}

export function rawOperations(options: {
  readonly dynamoEndpoint: string;
  readonly historyTable: string;
  readonly catalogTable: string;
  readonly accountId: string;
  readonly profileId: string;
}): RawOperations {
  // The adapters' module-scope client reads its endpoint, region and credentials from the
  // environment, as the platform sets it for its functions (local/platform.ts) and
  // test/support/dynamo.ts for the adapter tests. Set before the first client is made.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = options.dynamoEndpoint;
  process.env.AWS_REGION = LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  const history = dynamoHistoryStore(options.historyTable);
  const titles = dynamoTitlesTable(options.catalogTable);
  const viewerKey = profileKey(options.accountId, options.profileId);

  return {
    async heartbeat(title, beat, clientTs) {
      const body = heartbeatBody(beat, clientTs);
      const record: HistoryRecord = {
        titleId: title.titleId,
        positionSec: body.positionSec,
        durationSec: body.durationSec,
        clientTs,
        updatedAt: new Date().toISOString(),
        finished: isFinished(body.positionSec, body.durationSec),
        titleName: title.name,
      };
      // The adapter answers the stored state either way: an older clientTs means it was refused.
      const stored = await history.record(viewerKey, record);
      return stored.clientTs === clientTs ? 'ok' : 'condition-failed';
    },

    async title(titleId) {
      if (!(await titles.get(titleId)))
        throw new Error(`Title ${titleId} is not in ${options.catalogTable}.`);
      return 'ok';
    },

    async historyAttributes(titleId) {
      const { Item } = await documentClient().send(
        new GetCommand({
          TableName: options.historyTable,
          Key: { [TABLES.history.partitionKey]: viewerKey, [TABLES.history.sortKey]: titleId },
          ConsistentRead: true,
        }),
      );
      return Object.keys(Item ?? {})
        .sort()
        .join(',');
    },
  };
}
