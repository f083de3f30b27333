/**
 * CloudFront's KeyValueStore adapter against a mocked data-plane API (no emulator exists for
 * it): every write names the ETag it read, a conflict is retried on a fresh one, deletes go in
 * batches, listings page. Plus one real request, captured before it leaves, to show the SigV4A
 * signer is the pure-JS one.
 */
import {
  CloudFrontKeyValueStoreClient,
  ConflictException,
  DescribeKeyValueStoreCommand,
  ListKeysCommand,
  PutKeyCommand,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  cloudFrontKeyValueStore,
  KeyValueStoreConflictError,
  UPDATE_KEYS_BATCH,
} from '../../../lambdas/playback/adapters/cloudfront-key-value-store.ts';
import { revocationsIn } from '../../../lambdas/playback/domain/edge-store.ts';

const ARN = 'arn:aws:cloudfront::123456789012:key-value-store/0b5e4a3e-0000-4000-8000-000000000001';
const kvs = mockClient(CloudFrontKeyValueStoreClient);

function conflict(): ConflictException {
  return new ConflictException({ message: 'Pre-Condition failed', $metadata: { httpStatusCode: 409 } });
}

function store(maxAttempts?: number) {
  return cloudFrontKeyValueStore({
    client: new CloudFrontKeyValueStoreClient({ region: 'us-east-1' }),
    arn: async () => ARN,
    baseDelayMs: 0,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
}

beforeEach(() => {
  kvs.reset();
});

describe('CloudFront KeyValueStore', () => {
  it('puts a key with the ETag DescribeKeyValueStore gave', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'E1', KvsARN: ARN });
    kvs.on(PutKeyCommand).resolves({ ETag: 'E2', ItemCount: 1, TotalSizeInBytes: 30 });

    await store().put('revoked:sess-1', '1900000000');

    expect(kvs.commandCalls(DescribeKeyValueStoreCommand)[0]?.args[0].input).toEqual({ KvsARN: ARN });
    expect(kvs.commandCalls(PutKeyCommand).map((c) => c.args[0].input)).toEqual([
      { KvsARN: ARN, IfMatch: 'E1', Key: 'revoked:sess-1', Value: '1900000000' },
    ]);
  });

  it('retries a put that met a newer version, on the ETag it reads again', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolvesOnce({ ETag: 'E1' }).resolves({ ETag: 'E7' });
    kvs.on(PutKeyCommand).rejectsOnce(conflict()).resolves({ ETag: 'E8' });

    await store().put('revoked:sess-1', '1900000000');

    expect(kvs.commandCalls(DescribeKeyValueStoreCommand)).toHaveLength(2);
    expect(kvs.commandCalls(PutKeyCommand).map((c) => c.args[0].input.IfMatch)).toEqual(['E1', 'E7']);
  });

  it('gives up with a KeyValueStoreConflictError after its tries, the last conflict as cause', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'E1' });
    kvs.on(PutKeyCommand).rejects(conflict());

    const put = store(3).put('revoked:sess-1', '1900000000');

    await expect(put).rejects.toBeInstanceOf(KeyValueStoreConflictError);
    await expect(put).rejects.toMatchObject({
      name: 'KeyValueStoreConflictError',
      cause: { name: 'ConflictException' },
    });
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(3);
  });

  it('does not retry other errors', async () => {
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'E1' });
    kvs.on(PutKeyCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    await expect(store().put('k', 'v')).rejects.toThrow('denied');
    expect(kvs.commandCalls(PutKeyCommand)).toHaveLength(1);
  });

  it('deletes in batches of 50, each naming the ETag the previous one returned', async () => {
    const keys = Array.from({ length: UPDATE_KEYS_BATCH * 2 + 1 }, (_, i) => `revoked:s${i}`);
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'E1' });
    kvs
      .on(UpdateKeysCommand)
      .resolvesOnce({ ETag: 'E2' })
      .resolvesOnce({ ETag: 'E3' })
      .resolvesOnce({ ETag: 'E4' });

    await store().remove(keys);

    const calls = kvs.commandCalls(UpdateKeysCommand).map((c) => c.args[0].input);
    expect(calls.map((input) => input.IfMatch)).toEqual(['E1', 'E2', 'E3']);
    expect(calls.map((input) => input.Deletes?.length)).toEqual([50, 50, 1]);
    expect(calls.flatMap((input) => input.Deletes?.map((d) => d.Key))).toEqual(keys);
    expect(calls.every((input) => input.Puts === undefined)).toBe(true);
    expect(kvs.commandCalls(DescribeKeyValueStoreCommand)).toHaveLength(1);
  });

  it('after a conflict mid-way, goes on from the batch that failed', async () => {
    const keys = Array.from({ length: UPDATE_KEYS_BATCH + 1 }, (_, i) => `revoked:s${i}`);
    kvs.on(DescribeKeyValueStoreCommand).resolvesOnce({ ETag: 'E1' }).resolves({ ETag: 'E9' });
    kvs.on(UpdateKeysCommand).resolvesOnce({ ETag: 'E2' }).rejectsOnce(conflict()).resolves({ ETag: 'E10' });

    await store().remove(keys);

    const calls = kvs.commandCalls(UpdateKeysCommand).map((c) => c.args[0].input);
    expect(calls.map((input) => [input.IfMatch, input.Deletes?.length])).toEqual([
      ['E1', 50],
      ['E2', 1],
      ['E9', 1],
    ]);
  });

  it('writes nothing to remove no keys', async () => {
    await store().remove([]);

    expect(kvs.calls()).toHaveLength(0);
  });

  it('lists every page and keeps the keys with the prefix', async () => {
    kvs
      .on(ListKeysCommand)
      .resolvesOnce({
        Items: [
          { Key: 'key:k1', Value: 'c2VjcmV0' },
          { Key: 'revoked:a', Value: '100' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({ Items: [{ Key: 'revoked:b', Value: '200' }] });

    const entries = await store().list('revoked:');

    expect(entries).toEqual([
      { key: 'revoked:a', value: '100' },
      { key: 'revoked:b', value: '200' },
    ]);
    expect(kvs.commandCalls(ListKeysCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      'page-2',
    ]);
  });
});

describe('revocations in the CloudFront KeyValueStore', () => {
  it('sweeps only the expired ones, in one UpdateKeys', async () => {
    kvs.on(ListKeysCommand).resolves({
      Items: [
        { Key: 'key:k1', Value: 'c2VjcmV0' },
        { Key: 'revoked:old', Value: '1000' },
        { Key: 'revoked:live', Value: '999999999' },
      ],
    });
    kvs.on(DescribeKeyValueStoreCommand).resolves({ ETag: 'E1' });
    kvs.on(UpdateKeysCommand).resolves({ ETag: 'E2' });

    const swept = await revocationsIn(store()).sweep(2_000_000);

    expect(swept).toBe(1);
    expect(kvs.commandCalls(UpdateKeysCommand)[0]?.args[0].input).toEqual({
      KvsARN: ARN,
      IfMatch: 'E1',
      Deletes: [{ Key: 'revoked:old' }],
    });
  });
});

describe('the KeyValueStore client', () => {
  it('signs with SigV4A (pure JS) for every region, at the account endpoint', async () => {
    kvs.restore();
    let captured: { hostname?: string; headers: Record<string, string> } | undefined;
    const client = new CloudFrontKeyValueStoreClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
      requestHandler: {
        handle: async (request: { hostname?: string; headers: Record<string, string> }) => {
          captured = request;
          throw new Error('captured');
        },
      },
    });

    await expect(client.send(new DescribeKeyValueStoreCommand({ KvsARN: ARN }))).rejects.toThrow('captured');

    expect(captured?.hostname).toBe('123456789012.cloudfront-kvs.global.api.aws');
    expect(captured?.headers.authorization).toMatch(/^AWS4-ECDSA-P256-SHA256 /);
    expect(captured?.headers['x-amz-region-set']).toBe('*');
  });
});
