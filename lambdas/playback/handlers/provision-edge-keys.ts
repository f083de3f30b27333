/**
 * The edge stack's custom resource `Custom::EdgeSigningKeys` (aws). On Create and Update it puts
 * the keys of the control plane's signing secret (its AWSCURRENT version, and AWSPENDING during a
 * rotation; each with its `previous` keys) into the edge KeyValueStore as `key:<kid>`, and
 * deletes the `key:` entries none of them lists; on Delete it does nothing (the store goes with
 * the stack). Invoked directly (`aws lambda invoke`, a rotation step in docs/edge.md) it does the
 * same and returns the key ids. No secret reaches the template, the response or the logs.
 */
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { edgeSigningKeysOf, parseEdgeSigningSecret } from '#contracts/edge-signing-secret.ts';
import { ENV } from '#contracts/env.ts';
import {
  type CustomResourceOutcome,
  customResourceResponse,
  isCustomResourceEvent,
  sendCustomResourceResponse,
} from '#shared/custom-resource.ts';
import { requireEnv } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { cloudFrontKeyValueStore } from '../adapters/cloudfront-key-value-store.ts';
import { signingSecretVersions } from '../adapters/signing-secret-versions.ts';
import { type SigningKeySync, syncSigningKeys } from '../domain/edge-store.ts';

const kvsArn = requireEnv(ENV.EDGE_KVS_ARN);
const secretArn = requireEnv(ENV.EDGE_KEY_SECRET_ARN);
const store = cloudFrontKeyValueStore({
  client: new CloudFrontKeyValueStoreClient({}),
  arn: async () => kvsArn,
});
const versions = signingSecretVersions(new SecretsManagerClient({}), secretArn);

async function provision(): Promise<SigningKeySync & { keyIds: string[] }> {
  const keys = (await versions()).flatMap(({ stage, text }) =>
    edgeSigningKeysOf(parseEdgeSigningSecret(text, `${secretArn} (${stage})`)),
  );
  const sync = await syncSigningKeys(store, keys);
  const keyIds = [...new Set(keys.map((key) => key.kid))];
  logger.info('edge signing keys provisioned', { keyIds, ...sync });
  return { keyIds, ...sync };
}

export const handler = functionHandler('provisionEdgeKeys', async (event: unknown) => {
  if (!isCustomResourceEvent(event)) return provision();
  let outcome: CustomResourceOutcome;
  try {
    outcome =
      event.RequestType === 'Delete'
        ? { status: 'SUCCESS' }
        : { status: 'SUCCESS', data: { KeyIds: (await provision()).keyIds.join(',') } };
  } catch (error) {
    logger.error('edge signing keys not provisioned', { error: error as Error });
    outcome = { status: 'FAILED', reason: (error as Error).message };
  }
  await sendCustomResourceResponse(
    event,
    customResourceResponse(event, outcome, `edge-signing-keys:${kvsArn}`),
  );
});
