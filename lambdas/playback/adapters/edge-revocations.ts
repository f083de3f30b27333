/**
 * Where playback revokes sessions, by which environment variable the stack set: the local edges'
 * KeyValueStore file (`SHOWRUNNER_LOCAL_EDGE_KVS_FILE`, the local platform), or CloudFront's
 * KeyValueStore whose ARN is in the SSM parameter `SHOWRUNNER_EDGE_KVS_ARN_PARAMETER` (AWS).
 * Apart from `config.ts` because the CloudFront client needs the bundled SDK (`awsSdk: 'bundled'`).
 */
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { ENV } from '#contracts/env.ts';
import { optionalEnv } from '#shared/env.ts';
import { revocationsIn } from '../domain/edge-store.ts';
import type { Revocations } from '../domain/ports.ts';
import { cloudFrontKeyValueStore } from './cloudfront-key-value-store.ts';
import { eitherEnv, parameterValue } from './config.ts';
import { localKeyValueStoreRevocations } from './local-revocations.ts';

export function edgeRevocations(): Revocations {
  const file = optionalEnv(ENV.LOCAL_EDGE_KVS_FILE);
  if (file !== undefined) return localKeyValueStoreRevocations(file);
  const parameter = eitherEnv(ENV.EDGE_KVS_ARN_PARAMETER, ENV.LOCAL_EDGE_KVS_FILE);
  return revocationsIn(
    cloudFrontKeyValueStore({
      client: new CloudFrontKeyValueStoreClient({}),
      arn: () => parameterValue(parameter),
    }),
  );
}
