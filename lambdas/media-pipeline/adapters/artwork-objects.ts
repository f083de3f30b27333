/** The media bucket as the ChooseArtwork step sees it: captures to read, public artwork to write. */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ArtworkObjects } from '../domain/poster-candidates.ts';

/**
 * Artwork never changes under its key (the id is a digest of the bytes), so browsers and the
 * edges may keep it for a year without asking again.
 */
export const ARTWORK_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export function s3ArtworkObjects(s3: S3Client, bucket: string): ArtworkObjects {
  return {
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async read(key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    },
    async publish(key, bytes) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentType: 'image/jpeg',
          CacheControl: ARTWORK_CACHE_CONTROL,
        }),
      );
    },
  };
}
