// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` here is CloudFormation Fn::Sub syntax, not a JavaScript template.
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT, LOCAL_REGION, readTemplates, resolveIntrinsics } from '#local/assembly.ts';

type Json = Parameters<typeof resolveIntrinsics>[0];
type Stacks = Parameters<typeof readTemplates>[0];

const physical = new Map([
  ['IngestBucket2B3522FA', { type: 'AWS::S3::Bucket', name: 'showrunner-data-ingestbucket2b3522fa' }],
  ['JobsTable1A2B3C4D', { type: 'AWS::DynamoDB::Table', name: 'Showrunner-Data-JobsTable1A2B3C4D' }],
  [
    'PlanEncode174A67E3',
    { type: 'AWS::Lambda::Function', name: 'Showrunner-MediaPipeline-PlanEncode174A67E3' },
  ],
  [
    'EncodeWorkflowStateMachine81DE8FBD',
    {
      type: 'AWS::StepFunctions::StateMachine',
      name: 'Showrunner-MediaPipeline-EncodeWorkflowStateMachine81DE8FBD',
    },
  ],
  [
    'UndeliveredEvents5E0F8A1B',
    { type: 'AWS::SQS::Queue', name: 'Showrunner-MediaPipeline-UndeliveredEvents5E0F8A1B' },
  ],
  [
    'MediaConvertRole0C1D2E3F',
    { type: 'AWS::IAM::Role', name: 'Showrunner-MediaPipeline-MediaConvertRole0C1D2E3F' },
  ],
  [
    'SourceUploadedA3E42D2C',
    { type: 'AWS::Events::Rule', name: 'Showrunner-MediaPipeline-SourceUploadedA3E42D2C' },
  ],
]);
const INGEST_EXPORT = 'Showrunner-Data:ExportsOutputRefIngestBucket2B3522FAA83ACC7F';
const exportsByName = new Map<string, Json>([[INGEST_EXPORT, 'showrunner-data-ingestbucket2b3522fa']]);

const resolve = (value: Json) => resolveIntrinsics(value, physical, exportsByName);

describe('resolveIntrinsics', () => {
  describe('plain values', () => {
    it('returns scalars and objects without intrinsics as they are', () => {
      expect(resolve('sources/')).toBe('sources/');
      expect(resolve(42)).toBe(42);
      expect(resolve(null)).toBe(null);
      expect(resolve({ Type: 'Task', End: true })).toEqual({ Type: 'Task', End: true });
    });

    it('resolves intrinsics nested anywhere in arrays and objects', () => {
      const value: Json = {
        Variables: { INGEST_BUCKET: { Ref: 'IngestBucket2B3522FA' } },
        Targets: [{ Arn: { 'Fn::GetAtt': ['PlanEncode174A67E3', 'Arn'] }, Id: 'Target0' }],
      };

      expect(resolve(value)).toEqual({
        Variables: { INGEST_BUCKET: 'showrunner-data-ingestbucket2b3522fa' },
        Targets: [
          {
            Arn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:Showrunner-MediaPipeline-PlanEncode174A67E3`,
            Id: 'Target0',
          },
        ],
      });
    });

    it('treats a one-key object that is not an intrinsic as data', () => {
      expect(resolve({ bucket: { name: [{ Ref: 'IngestBucket2B3522FA' }] } })).toEqual({
        bucket: { name: ['showrunner-data-ingestbucket2b3522fa'] },
      });
    });
  });

  describe('Ref', () => {
    it("gives a bucket's, table's, function's and queue's local name", () => {
      expect(resolve({ Ref: 'IngestBucket2B3522FA' })).toBe('showrunner-data-ingestbucket2b3522fa');
      expect(resolve({ Ref: 'JobsTable1A2B3C4D' })).toBe('Showrunner-Data-JobsTable1A2B3C4D');
      expect(resolve({ Ref: 'PlanEncode174A67E3' })).toBe('Showrunner-MediaPipeline-PlanEncode174A67E3');
    });

    it("gives a state machine's ARN, as CloudFormation does", () => {
      expect(resolve({ Ref: 'EncodeWorkflowStateMachine81DE8FBD' })).toBe(
        'arn:aws:states:us-east-1:000000000000:stateMachine:Showrunner-MediaPipeline-EncodeWorkflowStateMachine81DE8FBD',
      );
    });

    it('resolves the pseudo parameters to the local account and region', () => {
      expect(resolve({ Ref: 'AWS::Region' })).toBe('us-east-1');
      expect(resolve({ Ref: 'AWS::AccountId' })).toBe('000000000000');
      expect(resolve({ Ref: 'AWS::Partition' })).toBe('aws');
      expect(resolve({ Ref: 'AWS::URLSuffix' })).toBe('amazonaws.com');
    });

    it('refuses a reference to a resource no template declares', () => {
      expect(() => resolve({ Ref: 'Missing1234' })).toThrow('Ref to unknown resource Missing1234');
    });
  });

  describe('Fn::GetAtt', () => {
    it('builds the ARN of each resource type the app references', () => {
      expect(resolve({ 'Fn::GetAtt': ['JobsTable1A2B3C4D', 'Arn'] })).toBe(
        'arn:aws:dynamodb:us-east-1:000000000000:table/Showrunner-Data-JobsTable1A2B3C4D',
      );
      expect(resolve({ 'Fn::GetAtt': ['IngestBucket2B3522FA', 'Arn'] })).toBe(
        'arn:aws:s3:::showrunner-data-ingestbucket2b3522fa',
      );
      expect(resolve({ 'Fn::GetAtt': ['PlanEncode174A67E3', 'Arn'] })).toBe(
        'arn:aws:lambda:us-east-1:000000000000:function:Showrunner-MediaPipeline-PlanEncode174A67E3',
      );
      expect(resolve({ 'Fn::GetAtt': ['EncodeWorkflowStateMachine81DE8FBD', 'Arn'] })).toBe(
        'arn:aws:states:us-east-1:000000000000:stateMachine:Showrunner-MediaPipeline-EncodeWorkflowStateMachine81DE8FBD',
      );
      expect(resolve({ 'Fn::GetAtt': ['UndeliveredEvents5E0F8A1B', 'Arn'] })).toBe(
        'arn:aws:sqs:us-east-1:000000000000:Showrunner-MediaPipeline-UndeliveredEvents5E0F8A1B',
      );
      expect(resolve({ 'Fn::GetAtt': ['MediaConvertRole0C1D2E3F', 'Arn'] })).toBe(
        'arn:aws:iam::000000000000:role/Showrunner-MediaPipeline-MediaConvertRole0C1D2E3F',
      );
    });

    it('builds a local ARN for other resource types', () => {
      expect(resolve({ 'Fn::GetAtt': ['SourceUploadedA3E42D2C', 'Arn'] })).toBe(
        'arn:aws:local:us-east-1:000000000000:Showrunner-MediaPipeline-SourceUploadedA3E42D2C',
      );
    });

    it('accepts the dotted string form', () => {
      expect(resolve({ 'Fn::GetAtt': 'PlanEncode174A67E3.Arn' })).toBe(
        'arn:aws:lambda:us-east-1:000000000000:function:Showrunner-MediaPipeline-PlanEncode174A67E3',
      );
    });

    it('gives the name for Name and QueueName', () => {
      expect(resolve({ 'Fn::GetAtt': ['EncodeWorkflowStateMachine81DE8FBD', 'Name'] })).toBe(
        'Showrunner-MediaPipeline-EncodeWorkflowStateMachine81DE8FBD',
      );
      expect(resolve({ 'Fn::GetAtt': ['UndeliveredEvents5E0F8A1B', 'QueueName'] })).toBe(
        'Showrunner-MediaPipeline-UndeliveredEvents5E0F8A1B',
      );
    });

    it("names a table's stream by the table, for the local stream pollers to find the live one", () => {
      expect(resolve({ 'Fn::GetAtt': ['JobsTable1A2B3C4D', 'StreamArn'] })).toBe(
        'arn:aws:dynamodb:us-east-1:000000000000:table/Showrunner-Data-JobsTable1A2B3C4D/stream/local',
      );
    });

    it('refuses an attribute it cannot know locally', () => {
      expect(() => resolve({ 'Fn::GetAtt': ['JobsTable1A2B3C4D', 'TableId'] })).toThrow(
        'Fn::GetAtt JobsTable1A2B3C4D.TableId is not resolved locally',
      );
    });

    it('refuses an attribute of an unknown resource', () => {
      expect(() => resolve({ 'Fn::GetAtt': ['Missing1234', 'Arn'] })).toThrow(
        'Fn::GetAtt on unknown resource Missing1234',
      );
    });
  });

  describe('Fn::Join', () => {
    it('joins resolved parts with the separator', () => {
      const value: Json = {
        'Fn::Join': ['', [{ 'Fn::GetAtt': ['IngestBucket2B3522FA', 'Arn'] }, '/sources/*']],
      };

      expect(resolve(value)).toBe('arn:aws:s3:::showrunner-data-ingestbucket2b3522fa/sources/*');
    });

    it('builds the JSON of a state machine definition from its fragments', () => {
      const value: Json = {
        'Fn::Join': [
          '',
          [
            '{"StartAt":"Plan","States":{"Plan":{"Type":"Task","Resource":"',
            { Ref: 'PlanEncode174A67E3' },
            '","End":true}}}',
          ],
        ],
      };

      expect(JSON.parse(String(resolve(value)))).toEqual({
        StartAt: 'Plan',
        States: {
          Plan: { Type: 'Task', Resource: 'Showrunner-MediaPipeline-PlanEncode174A67E3', End: true },
        },
      });
    });

    it('joins with a non-empty separator and stringifies numbers', () => {
      expect(resolve({ 'Fn::Join': [':', ['arn', 'aws', { Ref: 'AWS::Region' }, 7]] })).toBe(
        'arn:aws:us-east-1:7',
      );
    });
  });

  describe('Fn::Select and Fn::Split', () => {
    it('splits a resolved string', () => {
      expect(resolve({ 'Fn::Split': [':', { 'Fn::GetAtt': ['UndeliveredEvents5E0F8A1B', 'Arn'] }] })).toEqual(
        [
          'arn',
          'aws',
          'sqs',
          'us-east-1',
          '000000000000',
          'Showrunner-MediaPipeline-UndeliveredEvents5E0F8A1B',
        ],
      );
    });

    it('selects one element of a literal list', () => {
      expect(resolve({ 'Fn::Select': [1, ['a', { Ref: 'AWS::Region' }, 'c']] })).toBe('us-east-1');
    });

    it('selects from a split, as CDK does to take a name out of an ARN', () => {
      const value: Json = {
        'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['MediaConvertRole0C1D2E3F', 'Arn'] }] }],
      };

      expect(resolve(value)).toBe('Showrunner-MediaPipeline-MediaConvertRole0C1D2E3F');
    });

    it('accepts the index as a string', () => {
      expect(resolve({ 'Fn::Select': ['2', ['a', 'b', 'c']] })).toBe('c');
    });

    it('gives null for an index past the end', () => {
      expect(resolve({ 'Fn::Select': [3, ['a', 'b']] })).toBe(null);
    });
  });

  describe('Fn::Sub', () => {
    it('substitutes resource names, attributes and pseudo parameters', () => {
      const value: Json = {
        'Fn::Sub':
          'arn:${AWS::Partition}:s3:::${IngestBucket2B3522FA}/sources/* invoked by ${PlanEncode174A67E3.Arn}',
      };

      expect(resolve(value)).toBe(
        'arn:aws:s3:::showrunner-data-ingestbucket2b3522fa/sources/* invoked by ' +
          'arn:aws:lambda:us-east-1:000000000000:function:Showrunner-MediaPipeline-PlanEncode174A67E3',
      );
    });

    it('prefers the variables given with the template, resolving their intrinsics', () => {
      const value: Json = {
        'Fn::Sub': [
          '${Table}|${Region}|${AWS::AccountId}',
          { Table: { 'Fn::GetAtt': ['JobsTable1A2B3C4D', 'Arn'] }, Region: 'eu-west-1' },
        ],
      };

      expect(resolve(value)).toBe(
        'arn:aws:dynamodb:us-east-1:000000000000:table/Showrunner-Data-JobsTable1A2B3C4D|eu-west-1|000000000000',
      );
    });

    it('leaves a string without placeholders alone', () => {
      expect(resolve({ 'Fn::Sub': 'no placeholders here' })).toBe('no placeholders here');
    });

    it('refuses a placeholder naming an unknown resource', () => {
      expect(() => resolve({ 'Fn::Sub': 'x-${Missing1234}' })).toThrow('Ref to unknown resource Missing1234');
    });
  });

  describe('Fn::ImportValue', () => {
    it("gives the exporting stack's resolved value", () => {
      expect(resolve({ 'Fn::ImportValue': INGEST_EXPORT })).toBe('showrunner-data-ingestbucket2b3522fa');
    });

    it('resolves an export name built with intrinsics', () => {
      const value: Json = {
        'Fn::ImportValue': {
          'Fn::Join': [':', ['Showrunner-Data', 'ExportsOutputRefIngestBucket2B3522FAA83ACC7F']],
        },
      };

      expect(resolve(value)).toBe('showrunner-data-ingestbucket2b3522fa');
    });

    it('refuses an export no stack declares', () => {
      expect(() => resolve({ 'Fn::ImportValue': 'Showrunner-Data:Nope' })).toThrow(
        'Fn::ImportValue of unknown export Showrunner-Data:Nope',
      );
    });
  });
});

describe('readTemplates', () => {
  const pipeline: Stacks[number] = {
    stackName: 'Showrunner-MediaPipeline',
    template: {
      Resources: {
        RecordProgress33E2CDB5: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Timeout: 30,
            Environment: {
              Variables: {
                JOBS_TABLE: { 'Fn::ImportValue': 'Showrunner-Data:ExportsOutputRefJobsTable' },
                INGEST_BUCKET: { 'Fn::ImportValue': INGEST_EXPORT },
                REGION: { Ref: 'AWS::Region' },
                TARGET: 'local',
              },
            },
          },
          Metadata: {
            'aws:cdk:path': 'Showrunner-MediaPipeline/RecordProgress/Resource',
            'showrunner:function': 'recordProgress',
            'showrunner:entry': 'lambdas/media-pipeline/handlers/record-progress.ts',
            'showrunner:handler': 'handler',
          },
        },
        LogRetentionHelperAAAA: {
          Type: 'AWS::Lambda::Function',
          Properties: { Timeout: 900 },
          Metadata: { 'aws:cdk:path': 'Showrunner-MediaPipeline/LogRetention/Resource' },
        },
        EncodeWorkflowStateMachine81DE8FBD: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: {
              'Fn::Join': [
                '',
                [
                  '{"StartAt":"Record","States":{"Record":{"Type":"Task","Resource":"',
                  { 'Fn::GetAtt': ['RecordProgress33E2CDB5', 'Arn'] },
                  '","End":true}}}',
                ],
              ],
            },
          },
        },
        SourceUploadedA3E42D2C: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: {
              source: ['aws.s3'],
              'detail-type': ['Object Created'],
              detail: {
                bucket: { name: [{ 'Fn::ImportValue': INGEST_EXPORT }] },
                object: { key: [{ prefix: 'sources/' }] },
              },
            },
            Targets: [{ Arn: { Ref: 'EncodeWorkflowStateMachine81DE8FBD' }, Id: 'Target0' }],
          },
        },
      },
    },
  };
  const data: Stacks[number] = {
    stackName: 'Showrunner-Data',
    template: {
      Resources: {
        IngestBucket2B3522FA: {
          Type: 'AWS::S3::Bucket',
          Metadata: { 'aws:cdk:path': 'Showrunner-Data/IngestBucket/Resource' },
        },
        MediaBucketBCBB02BA: {
          Type: 'AWS::S3::Bucket',
          Metadata: { 'aws:cdk:path': 'Showrunner-Data/MediaBucket/Resource' },
        },
        JobsTable1A2B3C4D: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            KeySchema: [{ AttributeName: 'jobId', KeyType: 'HASH' }],
            AttributeDefinitions: [
              { AttributeName: 'jobId', AttributeType: 'S' },
              { AttributeName: 'titleId', AttributeType: 'S' },
            ],
            TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
            GlobalSecondaryIndexes: [
              { IndexName: 'byTitle', KeySchema: [{ AttributeName: 'titleId', KeyType: 'HASH' }] },
            ],
          },
        },
        SessionsTable9F8E7D6C: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            KeySchema: [
              { AttributeName: 'userId', KeyType: 'HASH' },
              { AttributeName: 'sessionId', KeyType: 'RANGE' },
            ],
            AttributeDefinitions: [
              { AttributeName: 'userId', AttributeType: 'S' },
              { AttributeName: 'sessionId', AttributeType: 'S' },
            ],
          },
        },
      },
      Outputs: {
        ExportsOutputRefIngestBucket2B3522FAA83ACC7F: {
          Value: { Ref: 'IngestBucket2B3522FA' },
          Export: { Name: INGEST_EXPORT },
        },
        ExportsOutputRefJobsTable: {
          Value: { Ref: 'JobsTable1A2B3C4D' },
          Export: { Name: { 'Fn::Join': [':', ['Showrunner-Data', 'ExportsOutputRefJobsTable']] } },
        },
        NotExported: { Value: { Ref: 'MediaBucketBCBB02BA' } },
      },
    },
  };

  // The importing stack comes first: exports are gathered from every stack before anything is read.
  const assembly = readTemplates([pipeline, data]);

  it('names buckets in lowercase from their stack and logical id', () => {
    expect(assembly.buckets).toEqual([
      { logicalId: 'IngestBucket2B3522FA', name: 'showrunner-data-ingestbucket2b3522fa' },
      { logicalId: 'MediaBucketBCBB02BA', name: 'showrunner-data-mediabucketbcbb02ba' },
    ]);
  });

  it('finds a bucket by its construct id', () => {
    expect(assembly.bucketNamed('MediaBucket')).toBe('showrunner-data-mediabucketbcbb02ba');
    expect(() => assembly.bucketNamed('ArchiveBucket')).toThrow(
      'No bucket ArchiveBucket in the synthesized app.',
    );
  });

  it('keeps bucket names within the 63 characters S3 allows', () => {
    const long = readTemplates([
      {
        stackName: 'Showrunner-Pull-Request-12345-Preview-Environment-Data',
        template: { Resources: { IngestBucket2B3522FA: { Type: 'AWS::S3::Bucket' } } },
      },
    ]);

    const [bucket] = long.buckets;
    expect(bucket?.name).toHaveLength(63);
    expect(bucket?.name).toMatch(/^[a-z0-9-]+$/);
  });

  it('reads each table with its keys, time-to-live attribute and indexes', () => {
    expect(assembly.tables).toEqual([
      {
        logicalId: 'JobsTable1A2B3C4D',
        constructId: 'JobsTable1A2B3C4D',
        name: 'Showrunner-Data-JobsTable1A2B3C4D',
        partitionKey: 'jobId',
        sortKey: undefined,
        timeToLiveAttribute: 'expiresAt',
        attributeDefinitions: [
          { AttributeName: 'jobId', AttributeType: 'S' },
          { AttributeName: 'titleId', AttributeType: 'S' },
        ],
        globalSecondaryIndexes: [
          { IndexName: 'byTitle', KeySchema: [{ AttributeName: 'titleId', KeyType: 'HASH' }] },
        ],
      },
      {
        logicalId: 'SessionsTable9F8E7D6C',
        constructId: 'SessionsTable9F8E7D6C',
        name: 'Showrunner-Data-SessionsTable9F8E7D6C',
        partitionKey: 'userId',
        sortKey: 'sessionId',
        timeToLiveAttribute: undefined,
        attributeDefinitions: [
          { AttributeName: 'userId', AttributeType: 'S' },
          { AttributeName: 'sessionId', AttributeType: 'S' },
        ],
        globalSecondaryIndexes: [],
      },
    ]);
  });

  it('reads only the functions the house construct tagged, with cross-stack environment resolved', () => {
    expect(assembly.functions).toEqual([
      {
        logicalId: 'RecordProgress33E2CDB5',
        name: 'Showrunner-MediaPipeline-RecordProgress33E2CDB5',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:Showrunner-MediaPipeline-RecordProgress33E2CDB5',
        functionId: 'recordProgress',
        entry: 'lambdas/media-pipeline/handlers/record-progress.ts',
        handler: 'handler',
        timeoutSec: 30,
        environment: {
          JOBS_TABLE: 'Showrunner-Data-JobsTable1A2B3C4D',
          INGEST_BUCKET: 'showrunner-data-ingestbucket2b3522fa',
          REGION: 'us-east-1',
          TARGET: 'local',
        },
      },
    ]);
  });

  it('finds a function by its declared id', () => {
    expect(assembly.functionById('recordProgress').logicalId).toBe('RecordProgress33E2CDB5');
    expect(() => assembly.functionById('planEncode')).toThrow(
      'No function planEncode in the synthesized app.',
    );
  });

  it('parses the state machine definition with its task resources resolved', () => {
    expect(assembly.stateMachines).toEqual([
      {
        logicalId: 'EncodeWorkflowStateMachine81DE8FBD',
        arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Showrunner-MediaPipeline-EncodeWorkflowStateMachine81DE8FBD',
        definition: {
          StartAt: 'Record',
          States: {
            Record: {
              Type: 'Task',
              Resource:
                'arn:aws:lambda:us-east-1:000000000000:function:Showrunner-MediaPipeline-RecordProgress33E2CDB5',
              End: true,
            },
          },
        },
      },
    ]);
  });

  it('reads event rules with the imported bucket name in the pattern and the target ARNs resolved', () => {
    expect(assembly.rules).toEqual([
      {
        logicalId: 'SourceUploadedA3E42D2C',
        eventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: {
            bucket: { name: ['showrunner-data-ingestbucket2b3522fa'] },
            object: { key: [{ prefix: 'sources/' }] },
          },
        },
        targets: [
          {
            arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Showrunner-MediaPipeline-EncodeWorkflowStateMachine81DE8FBD',
          },
        ],
      },
    ]);
  });

  it('fails loudly when a stack imports an export no stack declares', () => {
    expect(() => readTemplates([pipeline])).toThrow(
      'Fn::ImportValue of unknown export Showrunner-Data:ExportsOutputRefJobsTable',
    );
  });
});
