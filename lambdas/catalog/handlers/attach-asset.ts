/** EventBridge target for "Asset Published": the title gets its playable asset. */
import type { EventBridgeEvent } from 'aws-lambda';
import { tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { countMetric } from '#shared/metrics.ts';
import { dynamoTitlesTable } from '../adapters/titles-table.ts';
import { type AttachResult, attachAsset } from '../domain/assets.ts';

const deps = { titles: dynamoTitlesTable(tableName('catalog')) };

export const handler = functionHandler(
  'attachAsset',
  async (event: EventBridgeEvent<string, unknown>): Promise<AttachResult> => {
    const result = await attachAsset(deps, event, new Date());
    if (result.outcome === 'ATTACHED') {
      countMetric('AssetAttached');
      logger.info('asset attached', { ...result });
    }
    // Dropped on purpose: retrying cannot make an unknown title exist or an older asset newer.
    else logger.warn('asset not attached', { ...result });
    return result;
  },
);
