/**
 * SDK clients, created once per execution environment (module scope). A custom endpoint
 * (`AWS_ENDPOINT_URL_S3`, set by the local platform or for LocalStack) means an emulator, which
 * needs path-style bucket addressing. Every call is traced (X-Ray, on Lambda).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from './tracer.ts';

let s3: S3Client | undefined;
let documents: DynamoDBDocumentClient | undefined;

export function s3Client(): S3Client {
  s3 ??= traced(new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }));
  return s3;
}

export function documentClient(): DynamoDBDocumentClient {
  documents ??= DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documents;
}
