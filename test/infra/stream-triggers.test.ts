/**
 * DynamoDB Streams as triggers: each declared stream source (`streams` in
 * `lambdas/contracts/functions.ts`) is one event source mapping on its table's stream, with the
 * declared batching, retries and filters, partial batch responses, bisection and a dead-letter
 * queue; the tables that declare `stream: true` publish new and old images; the function may
 * read exactly those streams.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTIONS,
  type FunctionDeclaration,
  type FunctionId,
  type StreamSource,
} from '../../lambdas/contracts/functions.ts';
import { TABLES, type TableDeclaration } from '../../lambdas/contracts/tables.ts';
import { synth } from './synth.ts';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** Every declared stream source with the function that consumes it. */
const SOURCES = (Object.keys(FUNCTIONS) as FunctionId[]).flatMap((functionId) => {
  const declaration: FunctionDeclaration = FUNCTIONS[functionId];
  return (declaration.streams ?? []).map((source: StreamSource) => ({ functionId, source }));
});

const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);
const HASH = '[0-9A-F]{8}';

function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

function logicalIdOf(template: Template, type: string, base: string): string {
  const ids = resourcesOf(template, type)
    .map(([id]) => id)
    .filter((id) => new RegExp(`^${base}${HASH}$`).test(id));
  expect(ids, `${type} ${base}`).toHaveLength(1);
  return ids[0] as string;
}

let aws: ReturnType<typeof synth>;
beforeAll(() => {
  aws = synth('aws');
});

describe('table streams', () => {
  it('declares at least one stream source, on a table that declares its stream', () => {
    expect(SOURCES.length).toBeGreaterThan(0);
    for (const { functionId, source } of SOURCES) {
      const table: TableDeclaration = TABLES[source.table];
      expect(table.stream, `${functionId} reads ${source.table}`).toBe(true);
    }
  });

  it('gives each table that declares a stream new and old images, and no other table a stream', () => {
    for (const [id, declaration] of Object.entries(TABLES) as [string, TableDeclaration][]) {
      const logicalId = logicalIdOf(aws.data, 'AWS::DynamoDB::Table', declaration.constructId);
      const table = aws.data.findResources('AWS::DynamoDB::Table')[logicalId] as Resource;
      expect(table.Properties.StreamSpecification, id).toEqual(
        declaration.stream ? { StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
      );
    }
  });
});

describe('stream event source mappings', () => {
  it('builds one mapping per declared stream source, named by its mapping id', () => {
    const mappings = resourcesOf(aws.controlPlane, 'AWS::Lambda::EventSourceMapping').map(([id]) => id);

    expect(mappings).toHaveLength(SOURCES.length);
    for (const { source } of SOURCES) {
      expect(
        mappings.filter((id) => new RegExp(`^StreamTriggers${source.mappingId}${HASH}$`).test(id)),
      ).toHaveLength(1);
    }
  });

  it('reads each table stream from its oldest record with the declared batching, retries and filters', () => {
    const queue = logicalIdOf(aws.controlPlane, 'AWS::SQS::Queue', 'StreamTriggersFailedBatches');
    for (const { functionId, source } of SOURCES) {
      aws.controlPlane.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: Match.stringLikeRegexp(`^Functions${pascal(functionId)}${HASH}$`) },
        EventSourceArn: {
          'Fn::ImportValue': Match.stringLikeRegexp(`${TABLES[source.table].constructId}${HASH}StreamArn`),
        },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: source.batchSize,
        MaximumBatchingWindowInSeconds: source.maxBatchingWindowSec,
        MaximumRetryAttempts: source.retryAttempts,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: source.filters
          ? { Filters: source.filters.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) }
          : Match.absent(),
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
      });
    }
  });

  it('passes the filter patterns through as Lambda matches them (JSON of the declared pattern)', () => {
    const playback = SOURCES.find((s) => s.source.mappingId === 'PlaybackStartEvents');
    expect(playback).toBeDefined();
    const mapping = resourcesOf(aws.controlPlane, 'AWS::Lambda::EventSourceMapping').find(([id]) =>
      id.startsWith('StreamTriggersPlaybackStartEvents'),
    )?.[1];
    const criteria = mapping?.Properties.FilterCriteria as { Filters: { Pattern: string }[] } | undefined;
    const [filter] = criteria?.Filters ?? [];

    expect(JSON.parse(filter?.Pattern ?? 'null')).toEqual({
      eventName: ['INSERT'],
      dynamodb: { Keys: { pk: { S: [{ prefix: 'session#' }] } } },
    });
  });

  it('keeps failed batches 14 days in one encrypted, TLS-only queue', () => {
    const queue = logicalIdOf(aws.controlPlane, 'AWS::SQS::Queue', 'StreamTriggersFailedBatches');

    expect((aws.controlPlane.findResources('AWS::SQS::Queue')[queue] as Resource).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    aws.controlPlane.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it("lets each consumer read only its own tables' streams, and send only to the dead-letter queue", () => {
    const queue = logicalIdOf(aws.controlPlane, 'AWS::SQS::Queue', 'StreamTriggersFailedBatches');
    const consumers = new Set(SOURCES.map((s) => s.functionId));
    const all = Object.values(aws.controlPlane.toJSON().Resources as Record<string, Resource>);
    for (const functionId of consumers) {
      const role = logicalIdOf(aws.controlPlane, 'AWS::IAM::Role', `Functions${pascal(functionId)}Role`);
      const statements = all
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(role))
        .flatMap(
          (r) =>
            (r.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] })
              .Statement,
        );
      const streamStatements = statements.filter((s) =>
        JSON.stringify(s.Action).includes('dynamodb:GetRecords'),
      );
      const declared: FunctionDeclaration = FUNCTIONS[functionId];
      const tables = new Set((declared.streams ?? []).map((s) => TABLES[s.table].constructId));

      const resources = streamStatements.flatMap((statement) => {
        expect(statement.Action).toEqual([
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
        ]);
        return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      });
      // Exactly one resource per stream read: the stream ARN each table exports, and nothing else.
      expect(resources, functionId).toHaveLength(tables.size);
      for (const table of tables) {
        expect(
          resources.filter((r) =>
            new RegExp(`^\\{"Fn::ImportValue":"[^"*]*${table}${HASH}StreamArn[^"*]*"\\}$`).test(
              JSON.stringify(r),
            ),
          ),
          `${functionId} reads ${table}`,
        ).toHaveLength(1);
      }
      // ListStreams has no resource-level permission: `*` is the only resource IAM accepts for it.
      const onEverything = statements
        .filter((s) => s.Resource === '*')
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]) as string[]);
      expect(onEverything.filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:ListStreams']);
      const sqs = statements.filter((s) => JSON.stringify(s.Action).includes('sqs:'));
      expect(sqs).toEqual([
        expect.objectContaining({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queue, 'Arn'] } }),
      ]);
    }
  });

  it('gives LocalStack the same mappings (its Lambda event source mappings read DynamoDB Streams)', () => {
    const localstack = synth('localstack');

    expect(resourcesOf(localstack.controlPlane, 'AWS::Lambda::EventSourceMapping')).toHaveLength(
      SOURCES.length,
    );
    localstack.data.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });
});
