/** Presigned S3 uploads (single PUT or multipart) into the ingest bucket. */
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PresignedPart } from '#contracts/jobs.ts';

export interface UploadSigner {
  putUrl(key: string, contentType: string, expiresInSec: number): Promise<string>;
  startMultipart(
    key: string,
    contentType: string,
    partCount: number,
    expiresInSec: number,
  ): Promise<{ uploadId: string; parts: PresignedPart[] }>;
  completeMultipart(
    key: string,
    uploadId: string,
    parts: { partNumber: number; etag: string }[],
  ): Promise<void>;
}

export function s3UploadSigner(s3: S3Client, bucket: string): UploadSigner {
  return {
    putUrl(key, contentType, expiresIn) {
      return getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }), {
        expiresIn,
      });
    },
    async startMultipart(key, contentType, partCount, expiresIn) {
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }),
      );
      if (!UploadId) throw new Error('S3 returned no UploadId');
      const parts = await Promise.all(
        Array.from({ length: partCount }, async (_, i) => ({
          partNumber: i + 1,
          url: await getSignedUrl(
            s3,
            new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1 }),
            { expiresIn },
          ),
        })),
      );
      return { uploadId: UploadId, parts };
    },
    async completeMultipart(key, uploadId, parts) {
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [...parts]
              .sort((a, b) => a.partNumber - b.partNumber)
              .map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
          },
        }),
      );
    },
  };
}
