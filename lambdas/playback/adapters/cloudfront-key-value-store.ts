/**
 * CloudFront's KeyValueStore behind the `EdgeKeyValueStore` port, through its data-plane API.
 *
 * Every write names the store's current version (`IfMatch`: its ETag, from
 * DescribeKeyValueStore or the previous write); a write that raced another writer fails with a
 * ConflictException and is retried on a fresh ETag, a few times with a jittered backoff
 * (`#shared/retry.ts`). The SDK's own retries cannot do this: they resend the same stale ETag.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_kvs_PutKey.html
 *
 * The API is signed with SigV4A (region set `*`), which the SDK leaves to an optional package:
 * `@aws-sdk/signature-v4a` is the pure-JS signer (no native CRT binding to ship to Lambda); it
 * registers itself with the SDK when imported, so the functions using this module bundle the SDK
 * (`awsSdk: 'bundled'` in `lambdas/contracts/functions.ts`) and the signer and the client share
 * one copy of it. https://github.com/aws/aws-sdk-js-v3/pull/6219
 */
import '@aws-sdk/signature-v4a';
import {
  type CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  ListKeysCommand,
  PutKeyCommand,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { type RetryPolicy, withRetry } from '#shared/retry.ts';
import type { EdgeKeyValueStore, KeyValueEntry } from '../domain/ports.ts';

/** Keys deleted per UpdateKeys call (an all-or-nothing batch; the API takes at most 50 changes). */
export const UPDATE_KEYS_BATCH = 50;

/** ListKeys page size (the API's maximum). */
const LIST_PAGE = 50;

export interface CloudFrontKeyValueStoreOptions {
  readonly client: CloudFrontKeyValueStoreClient;
  /** The store's ARN, asked for on each operation (it may come from a cached SSM parameter). */
  readonly arn: () => Promise<string>;
  /** Tries per write when another writer changed the store in between. @default 5 */
  readonly maxAttempts?: number;
  /**
   * The wait before the second try of a write, doubled for each try after (jittered, at most
   * 1.6 s); tests pass 0 to not wait. @default 25
   */
  readonly baseDelayMs?: number;
}

/** Every try of a write met a newer version of the store than the one it named. */
export class KeyValueStoreConflictError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyValueStoreConflictError';
  }
}

export function cloudFrontKeyValueStore(options: CloudFrontKeyValueStoreOptions): EdgeKeyValueStore {
  const { client } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const conflictRetry: RetryPolicy = {
    maxAttempts,
    baseDelayMs: options.baseDelayMs ?? 25,
    maxDelayMs: 1_600,
    retryable: isConflict,
  };

  /**
   * Runs `writes` in order, each with the ETag the previous one returned (the first with a fresh
   * one); after a conflict, describes the store again and goes on from the write that failed.
   */
  async function writeInOrder(
    writes: readonly ((arn: string, etag: string) => Promise<string | undefined>)[],
  ): Promise<void> {
    const arn = await options.arn();
    let etag: string | undefined;
    for (const write of writes) {
      try {
        etag = await withRetry(async () => {
          const ifMatch = etag ?? (await currentEtag(arn));
          // Until this write answers with the next version, the store's is unknown: a retry
          // after a conflict reads it again.
          etag = undefined;
          return write(arn, ifMatch);
        }, conflictRetry);
      } catch (error) {
        if (!isConflict(error)) throw error;
        throw new KeyValueStoreConflictError(
          `The edge KeyValueStore kept changing under ${maxAttempts} tries of one write; giving up.`,
          { cause: error },
        );
      }
    }
  }

  async function currentEtag(arn: string): Promise<string> {
    const described = await client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }));
    if (!described.ETag) throw new Error(`DescribeKeyValueStore gave no ETag for ${arn}.`);
    return described.ETag;
  }

  return {
    async list(prefix) {
      const arn = await options.arn();
      const entries: KeyValueEntry[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new ListKeysCommand({ KvsARN: arn, MaxResults: LIST_PAGE, NextToken: nextToken }),
        );
        for (const item of page.Items ?? []) {
          if (item.Key?.startsWith(prefix)) entries.push({ key: item.Key, value: item.Value ?? '' });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return entries;
    },

    async put(key, value) {
      await writeInOrder([
        async (arn, etag) =>
          (await client.send(new PutKeyCommand({ KvsARN: arn, IfMatch: etag, Key: key, Value: value }))).ETag,
      ]);
    },

    async remove(keys) {
      const batches: string[][] = [];
      for (let i = 0; i < keys.length; i += UPDATE_KEYS_BATCH)
        batches.push(keys.slice(i, i + UPDATE_KEYS_BATCH));
      await writeInOrder(
        batches.map(
          (batch) => async (arn, etag) =>
            (
              await client.send(
                new UpdateKeysCommand({ KvsARN: arn, IfMatch: etag, Deletes: batch.map((Key) => ({ Key })) }),
              )
            ).ETag,
        ),
      );
    },
  };
}

function isConflict(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConflictException';
}
