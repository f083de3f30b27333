import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/contracts/env.ts';
import { ROUTES } from '../../lambdas/contracts/routes.ts';
import { TABLES } from '../../lambdas/contracts/tables.ts';
import { loadConfig } from '../../lib/config.ts';
import { routesFor } from '../../lib/stacks/control-plane-stack.ts';
import { synth } from './synth.ts';

let aws: ReturnType<typeof synth>;
beforeAll(() => {
  aws = synth('aws');
});

describe('data stack', () => {
  it('keeps the ingest bucket private, encrypted, TLS-only and wired to EventBridge by property', () => {
    aws.data.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: Match.anyValue() }),
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        ]),
      },
    });
    aws.data.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('has no custom resources (LocalStack free tier cannot run them)', () => {
    for (const template of [aws.data, aws.pipeline, aws.controlPlane]) {
      const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map(
        (r) => r.Type,
      );
      expect(
        types.filter((t) => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource'),
      ).toEqual([]);
    }
  });

  it('retains buckets and the jobs table on AWS', () => {
    aws.data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const buckets = aws.data.findResources('AWS::S3::Bucket');
    expect(
      Object.values(buckets).every((b) => (b as { DeletionPolicy?: string }).DeletionPolicy === 'Retain'),
    ).toBe(true);
  });

  it('declares the media-jobs table from the contract, with point-in-time recovery', () => {
    aws.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'jobId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byTitle' })],
    });
  });
});

describe('media pipeline stack', () => {
  it('starts the state machine on objects created under sources/ in the ingest bucket', () => {
    aws.pipeline.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [Match.anyValue()] }, object: { key: [{ prefix: 'sources/' }] } },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  it('gives every Task state a Catch, and every Lambda and DynamoDB task a Retry', () => {
    const [machine] = Object.values(aws.pipeline.findResources('AWS::StepFunctions::StateMachine'));
    const definition = JSON.parse(
      (
        machine as { Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } } }
      ).Properties.DefinitionString['Fn::Join'][1]
        .map((part) => (typeof part === 'string' ? part : 'X'))
        .join(''),
    ) as {
      States: Record<string, { Type: string; Catch?: unknown[]; Retry?: unknown[]; Resource?: string }>;
    };
    const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThanOrEqual(10);
    for (const [name, state] of tasks) {
      expect(state.Catch, `${name} has a Catch`).toBeDefined();
      expect(state.Retry, `${name} has a Retry`).toBeDefined();
    }
    expect(
      tasks.filter(([, s]) => s.Resource?.endsWith(':states:::mediaconvert:createJob.sync')),
    ).toHaveLength(1);
  });

  it('lets MediaConvert assume its role, read sources and write media only', () => {
    aws.pipeline.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'mediaconvert.amazonaws.com' } })],
      },
    });
    const policies = aws.pipeline.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('MediaConvertRole') }] },
    });
    const actions = Object.values(policies).flatMap((p) =>
      (
        p as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } }
      ).Properties.PolicyDocument.Statement.flatMap((s) => s.Action),
    );
    expect(new Set(actions)).toEqual(new Set(['s3:GetObject', 's3:PutObject']));
  });

  it('runs every function on Node.js 24, arm64, with tracing', () => {
    const functions = Object.values(aws.pipeline.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThanOrEqual(6);
    for (const fn of functions) {
      expect(fn).toMatchObject({
        Properties: { Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } },
      });
    }
  });

  it('logs every state machine event', () => {
    aws.pipeline.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      TracingConfiguration: { Enabled: true },
    });
  });
});

describe('control plane stack', () => {
  const methods = () =>
    Object.values(aws.controlPlane.findResources('AWS::ApiGateway::Method')).map(
      (m) => m.Properties as { HttpMethod: string; AuthorizationType: string; AuthorizerId?: unknown },
    );

  it('builds one API Gateway method per declared route the target can serve', () => {
    const served = routesFor(loadConfig('aws'));
    expect(methods().filter((m) => m.HttpMethod !== 'OPTIONS')).toHaveLength(served.length);
    // The aws target has its CloudFront edge, the embedded platform its local edges: every route.
    expect(served).toHaveLength(ROUTES.length);
    expect(routesFor(loadConfig('local'))).toHaveLength(ROUTES.length);
    // LocalStack has no CloudFront: no route that requires the edge (playback).
    const localstack = routesFor(loadConfig('localstack'));
    expect(localstack.some((r) => r.path.startsWith('/v1/playback') || r.requires === 'edge')).toBe(false);
  });

  it('leaves only the public routes without the token authorizer', () => {
    const served = routesFor(loadConfig('aws'));
    const publicRoutes = served.filter((r) => r.auth === 'none').length;
    expect(methods().filter((m) => m.AuthorizationType === 'NONE')).toHaveLength(publicRoutes);
    expect(methods().filter((m) => m.AuthorizationType === 'CUSTOM')).toHaveLength(
      served.length - publicRoutes,
    );
    aws.controlPlane.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  it('answers authorizer refusals in the house error shape', () => {
    aws.controlPlane.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      StatusCode: '403',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"FORBIDDEN"') },
    });
    aws.controlPlane.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
    });
  });

  it('throttles the stage', () => {
    aws.controlPlane.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 }),
      ]),
    });
  });

  it('uses a Cognito user pool with an admin group on AWS', () => {
    aws.controlPlane.resourceCountIs('AWS::Cognito::UserPool', 1);
    aws.controlPlane.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    aws.controlPlane.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.IDENTITY_PROVIDER]: 'cognito' }) },
    });
  });

  it('keeps the logical ids of its stateful resources (users, signing keys) across refactorings', () => {
    const ids = (type: string) => Object.keys(aws.controlPlane.findResources(type));

    expect(ids('AWS::Cognito::UserPool')).toEqual(['UserPool6BA7E5F2']);
    expect(ids('AWS::Cognito::UserPoolClient')).toEqual(['UserPoolClient2F5918F7']);
    expect(ids('AWS::Cognito::UserPoolGroup')).toEqual(['AdminGroup']);
    expect(ids('AWS::SecretsManager::Secret')).toEqual(['EdgeSigningKey0E4AB3D5']);
  });

  it('runs the renewal job on a daily schedule and attaches published assets by event', () => {
    aws.controlPlane.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 4 * * ? *)' });
    aws.controlPlane.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['showrunner.media'], 'detail-type': ['Asset Published'] },
    });
  });
});

describe('data stack tables', () => {
  it('creates every declared table with its keys, encrypted, with point-in-time recovery', () => {
    for (const declaration of Object.values(TABLES)) {
      aws.data.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: Match.arrayWith([{ AttributeName: declaration.partitionKey, KeyType: 'HASH' }]),
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding on the aws target', () => {
    const report = nagReport(aws.assembly.directory);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    expect(report.conclusion).toBe('success');
  });

  it('acknowledges each finding it suppresses with a specific reason', () => {
    const report = nagReport(aws.assembly.directory);
    expect(report.suppressedViolations.length).toBeGreaterThan(0);
    for (const suppressed of report.suppressedViolations) {
      expect(suppressed.reason.length, suppressed.ruleName).toBeGreaterThan(40);
    }
  });
});

interface NagReport {
  conclusion: string;
  violations: { ruleName: string }[];
  suppressedViolations: { ruleName: string; reason: string }[];
}

function nagReport(directory: string): NagReport {
  const file = JSON.parse(readFileSync(join(directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: (NagReport & { pluginName: string })[];
  };
  const report = file.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
  if (!report) throw new Error('cdk-nag did not run');
  return report;
}

describe('localstack target', () => {
  const FORBIDDEN = [
    /^AWS::CloudFront::/,
    /^AWS::Cognito::/,
    /^AWS::MediaConvert::/,
    /^AWS::ApiGatewayV2::/,
    /^Custom::/,
    /^AWS::CloudFormation::CustomResource$/,
  ];

  it('synthesizes with no resource type that LocalStack free tier lacks', () => {
    const localstack = synth('localstack');
    const types = localstack.assembly.stacks.flatMap((s) =>
      Object.values((s.template as { Resources: Record<string, { Type: string }> }).Resources).map(
        (r) => r.Type,
      ),
    );
    expect(types.length).toBeGreaterThan(20);
    expect(types.filter((t) => FORBIDDEN.some((f) => f.test(t)))).toEqual([]);
    expect(nagReport(localstack.assembly.directory).violations).toEqual([]);
  });

  it('does not retain data on LocalStack', () => {
    const localstack = synth('localstack');
    localstack.data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });
});
