/**
 * Where playback revokes sessions: CloudFront's KeyValueStore, whose ARN is in the SSM parameter
 * `SHOWRUNNER_EDGE_KVS_ARN_PARAMETER` (AWS), or the store the host stands in with (the embedded
 * platform registers its local edges' store: `#shared/stand-ins.ts`). Apart from `config.ts`
 * because the CloudFront client needs the bundled SDK (`awsSdk: 'bundled'`).
 */
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { ENV } from '#contracts/env.ts';
import { requireEnv } from '#shared/env.ts';
import { standIn } from '#shared/stand-ins.ts';
import { traced } from '#shared/tracer.ts';
import { revocationsIn } from '../domain/edge-store.ts';
import type { EdgeKeyValueStore, Revocations } from '../domain/ports.ts';
import { cloudFrontKeyValueStore } from './cloudfront-key-value-store.ts';
import { parameterValue } from './config.ts';

export function edgeRevocations(): Revocations {
  const local = standIn<EdgeKeyValueStore>('edgeKeyValueStore');
  if (local) return revocationsIn(local);
  // Fails at load without it, rather than end sessions that the edge would keep serving.
  const parameter = requireEnv(ENV.EDGE_KVS_ARN_PARAMETER);
  return revocationsIn(
    cloudFrontKeyValueStore({
      client: traced(new CloudFrontKeyValueStoreClient({})),
      arn: () => parameterValue(parameter),
    }),
  );
}
