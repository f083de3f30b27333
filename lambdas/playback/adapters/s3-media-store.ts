/** The media bucket, read through S3 `GetObject`: the asset's multivariant playlist. */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { MediaStore } from '../domain/ports.ts';

export function s3MediaStore(s3: S3Client, bucket: string): MediaStore {
  return {
    async getText(key) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await object.Body?.transformToString('utf8');
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
  };
}
