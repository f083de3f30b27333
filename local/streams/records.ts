/**
 * Stream records as Lambda hands them to a function (`DynamoDBStreamEvent` of `aws-lambda`):
 * the Streams API's record with epoch-second creation time, binary attributes in base64 as in
 * JSON, the region and the stream ARN of the event source mapping.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

/** The Lambda event record of a Streams API record. */
export function lambdaRecord(
  record: StreamRecord,
  context: { region: string; streamArn: string },
): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  const created = change.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: context.region,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      ...(change.Keys ? { Keys: attributes(change.Keys) } : {}),
      ...(change.NewImage ? { NewImage: attributes(change.NewImage) } : {}),
      ...(change.OldImage ? { OldImage: attributes(change.OldImage) } : {}),
      SequenceNumber: change.SequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
    },
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
    eventSourceARN: context.streamArn,
  };
}

/** The stream ARN as Lambda reports it: DynamoDB Local names its region `ddblocal`. */
export function regionalStreamArn(streamArn: string, region: string): string {
  return streamArn.replace(/^arn:aws:dynamodb:[^:]*:/, `arn:aws:dynamodb:${region}:`);
}

type SdkAttribute = NonNullable<NonNullable<StreamRecord['dynamodb']>['Keys']>[string];

function attributes(map: Record<string, SdkAttribute>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, attribute(value)]));
}

/** JSON's form of an attribute value: the SDK gives binaries as bytes, the event carries base64. */
function attribute(value: SdkAttribute): AttributeValue {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: attributes(value.M) };
  if (value.L !== undefined) return { L: value.L.map(attribute) };
  const { $unknown: _, ...rest } = value as SdkAttribute & { $unknown?: unknown };
  return rest as AttributeValue;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
