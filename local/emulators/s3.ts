/**
 * S3 on s3rver, in process, so its upload events can be turned into the EventBridge
 * "Object Created" events S3 sends on AWS. Node must run with --openssl-legacy-provider
 * (s3rver's listings use a digest OpenSSL 3 hides otherwise).
 */
import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import { LOCAL_CREDENTIALS } from './dynamodb.ts';

export interface S3Notification {
  eventName: string;
  bucket: string;
  key: string;
  size: number;
  etag: string;
  sequencer: string;
}

export interface S3Emulator {
  endpoint: string;
  onObjectCreated(listener: (event: S3Notification) => void): void;
  stop(): Promise<void>;
}

export async function startS3(options: {
  dataDir: string;
  port: number;
  buckets: readonly string[];
}): Promise<S3Emulator> {
  mkdirSync(options.dataDir, { recursive: true });
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    silent: true,
    directory: options.dataDir,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = (await server.run()) as { port: number };
  const listeners: ((event: S3Notification) => void)[] = [];
  server.on('event', (event: { Records: S3Record[] }) => {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated')) continue;
      const notification: S3Notification = {
        eventName: record.eventName,
        bucket: record.s3.bucket.name,
        // Notification keys are URL-encoded, with '+' for spaces.
        key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
        size: record.s3.object.size ?? 0,
        etag: record.s3.object.eTag ?? '',
        sequencer: record.s3.object.sequencer ?? '',
      };
      for (const listener of listeners) listener(notification);
    }
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    onObjectCreated(listener) {
      listeners.push(listener);
    },
    async stop() {
      await server.close();
    },
  };
}

interface S3Record {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
}

export { LOCAL_CREDENTIALS };
