/**
 * How each function's declared needs of the delivery edge (`edge: pathways | keys |
 * revocations`) and of published media (`media: 'read'`) are wired per target: SSM parameter
 * names, the signing-key secret and exact grants on AWS (the KeyValueStore granted from the edge
 * stack), values the embedded platform fills in locally, nothing on LocalStack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EDGE_GENERATED_SECRET_LENGTH,
  EDGE_INITIAL_KEY_ID,
} from '../../lambdas/contracts/edge-signing-secret.ts';
import { ENV } from '../../lambdas/contracts/env.ts';
import {
  type EdgeNeed,
  FUNCTION_METADATA,
  FUNCTIONS,
  type FunctionDeclaration,
  type FunctionId,
} from '../../lambdas/contracts/functions.ts';
import { ROUTES } from '../../lambdas/contracts/routes.ts';
import { edgeParameterNames } from '../../lib/stacks/edge-stack.ts';
import { platformEnvironment } from '../../local/lambda/environment.ts';
import { standInsFor } from '../../local/lambda/stand-ins.ts';
import { synth } from './synth.ts';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}
interface Statement {
  Action: string | string[];
  Resource: unknown;
}
interface DeployedFunction {
  functionId: FunctionId;
  declaration: FunctionDeclaration;
  environment: Record<string, unknown>;
  /** Logical id of its execution role. */
  role: string;
  statements: Statement[];
}

const LOCAL_EDGE_VARIABLES = [ENV.EDGE_PATHWAYS, ENV.EDGE_KEY_ID, ENV.EDGE_KEY_SECRET];
const AWS_EDGE_VARIABLES = [ENV.EDGE_PATHWAYS_PARAMETER, ENV.EDGE_KEY_SECRET_ARN, ENV.EDGE_KVS_ARN_PARAMETER];

function resources(template: Template): Record<string, Resource> {
  return template.toJSON().Resources as Record<string, Resource>;
}

/** Every house function of a template, with its environment and its role's policy statements. */
function deployedFunctions(template: Template): DeployedFunction[] {
  const all = resources(template);
  return Object.values(all)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[FUNCTION_METADATA.ID])
    .map((r) => {
      const functionId = r.Metadata?.[FUNCTION_METADATA.ID] as FunctionId;
      const role = (r.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = Object.values(all)
        .filter(
          (p) =>
            p.Type === 'AWS::IAM::Policy' &&
            JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }]),
        )
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      return {
        functionId,
        declaration: FUNCTIONS[functionId],
        environment:
          (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
        role,
        statements,
      };
    });
}

function resourcesOf(statements: Statement[], action: string): unknown[] {
  return statements
    .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
}

function needs(fn: DeployedFunction): readonly EdgeNeed[] {
  return fn.declaration.edge ?? [];
}

function logicalIdOf(template: Template, type: string): string {
  const found = Object.keys(template.findResources(type));
  expect(found, type).toHaveLength(1);
  return found[0] as string;
}

/** `arn:<partition>:ssm:<region>:<account>:parameter/<name without its leading slash>`. */
function parameterArn(name: string) {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':ssm:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:parameter${name}`,
      ],
    ],
  };
}

describe('delivery wiring on AWS (CloudFront)', () => {
  let aws: ReturnType<typeof synth>;
  let edge: Template;
  let functions: DeployedFunction[];
  let secret: string;
  const names = edgeParameterNames({ stackPrefix: 'Showrunner' });

  beforeAll(() => {
    aws = synth('aws');
    if (!aws.edge) throw new Error('the aws target has no edge stack');
    edge = Template.fromStack(aws.edge);
    functions = deployedFunctions(aws.controlPlane);
    secret = logicalIdOf(aws.controlPlane, 'AWS::SecretsManager::Secret');
  });

  it('serves every playback route from the function it names', () => {
    const edgeRoutes = ROUTES.filter((r) => (r as { requires?: string }).requires === 'edge');
    expect(edgeRoutes.length).toBeGreaterThanOrEqual(4);
    const deployed = new Set(functions.map((f) => f.functionId));
    for (const route of edgeRoutes) expect(deployed.has(route.function), route.path).toBe(true);
    const paths = Object.values(aws.controlPlane.findResources('AWS::ApiGateway::Resource')).map(
      (r) => (r.Properties as { PathPart: string }).PathPart,
    );
    expect(paths).toEqual(expect.arrayContaining(['playback', 'steering', 'master.m3u8', 'heartbeat']));
  });

  it('finds the pathways by SSM parameter name, with a read of exactly that parameter', () => {
    for (const fn of functions) {
      const declared = needs(fn).includes('pathways');
      expect(fn.environment[ENV.EDGE_PATHWAYS_PARAMETER], fn.functionId).toBe(
        declared ? names.pathways : undefined,
      );
      const reads = resourcesOf(fn.statements, 'ssm:GetParameter');
      expect(reads.some((r) => JSON.stringify(r) === JSON.stringify(parameterArn(names.pathways)))).toBe(
        declared,
      );
    }
    expect(functions.filter((f) => needs(f).includes('pathways')).length).toBeGreaterThanOrEqual(2);
  });

  it('signs with the control plane secret, read by ARN with GetSecretValue only', () => {
    for (const fn of functions) {
      const declared = needs(fn).includes('keys');
      expect(fn.environment[ENV.EDGE_KEY_SECRET_ARN], fn.functionId).toEqual(
        declared ? { Ref: secret } : undefined,
      );
      expect(resourcesOf(fn.statements, 'secretsmanager:GetSecretValue'), fn.functionId).toEqual(
        declared ? [{ Ref: secret }] : [],
      );
      expect(resourcesOf(fn.statements, 'secretsmanager:DescribeSecret')).toEqual([]);
    }
  });

  it('finds the KeyValueStore for revocations by SSM parameter name; the store itself is granted by the edge stack', () => {
    const writers = functions.filter((f) => needs(f).includes('revocations'));
    expect(writers.map((f) => f.functionId).sort()).toEqual(['endPlayback', 'sweepRevocations']);
    for (const fn of functions) {
      const declared = writers.includes(fn);
      expect(fn.environment[ENV.EDGE_KVS_ARN_PARAMETER], fn.functionId).toBe(
        declared ? names.keyValueStoreArn : undefined,
      );
      const reads = resourcesOf(fn.statements, 'ssm:GetParameter');
      expect(
        reads.some((r) => JSON.stringify(r) === JSON.stringify(parameterArn(names.keyValueStoreArn))),
      ).toBe(declared);
      // The control plane cannot name the store (the edge stack depends on it), and no wildcard.
      expect(JSON.stringify(fn.statements)).not.toContain('cloudfront-keyvaluestore');
    }

    const kvs = logicalIdOf(edge, 'AWS::CloudFront::KeyValueStore');
    const policies = Object.values(resources(edge)).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes('ImportValue'),
    );
    expect(policies).toHaveLength(1);
    const policy = policies[0] as Resource;
    expect((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'cloudfront-keyvaluestore:DescribeKeyValueStore',
          'cloudfront-keyvaluestore:ListKeys',
          'cloudfront-keyvaluestore:PutKey',
          'cloudfront-keyvaluestore:UpdateKeys',
        ],
        Resource: { 'Fn::GetAtt': [kvs, 'Arn'] },
      },
    ]);
    const roles = JSON.stringify(policy.Properties.Roles);
    for (const fn of functions)
      expect(roles.includes(`ExportsOutputRef${fn.role}`), fn.functionId).toBe(writers.includes(fn));
  });

  it('uses no variable of the local platform', () => {
    for (const fn of functions) {
      for (const name of LOCAL_EDGE_VARIABLES)
        expect(fn.environment[name], `${fn.functionId} ${name}`).toBeUndefined();
    }
  });

  it('lets the functions that declare media reads get media/* of the media bucket, and no others', () => {
    for (const fn of functions) {
      const declared = (fn.declaration.buckets?.media ?? []).some((g) => g.actions.includes('get'));
      expect(fn.environment[ENV.MEDIA_BUCKET] !== undefined, fn.functionId).toBe(
        fn.declaration.buckets?.media !== undefined,
      );
      const reads = resourcesOf(fn.statements, 's3:GetObject').map((r) => JSON.stringify(r));
      expect(
        reads.some((r) => r.includes('MediaBucket') && r.includes('/media/*')),
        fn.functionId,
      ).toBe(declared);
    }
  });

  it('lets only the pipeline write public artwork: ChooseArtwork puts, DiscardOutputs deletes, nothing else touches artwork/*', () => {
    const everyFunction = [aws.data, aws.pipeline, aws.controlPlane, edge].flatMap(deployedFunctions);
    const artworkActions = (fn: DeployedFunction) =>
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].filter((action) =>
        resourcesOf(fn.statements, action).some((r) => JSON.stringify(r).includes('/artwork/*')),
      );
    const touching = Object.fromEntries(
      everyFunction
        .filter((fn) => artworkActions(fn).length > 0)
        .map((fn) => [fn.functionId, artworkActions(fn)]),
    );

    expect(touching).toEqual({ chooseArtwork: ['s3:PutObject'], discardOutputs: ['s3:DeleteObject'] });
  });

  it('puts ChooseArtwork between VerifyOutputs and PublishAsset, its candidates into the published asset', () => {
    const [machine] = Object.values(aws.pipeline.findResources('AWS::StepFunctions::StateMachine'));
    const { States: states } = JSON.parse(
      (
        machine as { Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } } }
      ).Properties.DefinitionString['Fn::Join'][1]
        .map((part) => (typeof part === 'string' ? part : 'X'))
        .join(''),
    ) as { States: Record<string, { Next?: string; ResultPath?: string; Parameters?: unknown }> };

    expect(states.VerifyOutputs?.Next).toBe('ChooseArtwork');
    expect(states.ChooseArtwork?.Next).toBe('PublishAsset');
    expect(states.ChooseArtwork?.ResultPath).toBe('$.verification.asset.posterCandidates');
    expect(JSON.stringify(states.PublishAsset?.Parameters)).toContain('$.verification.asset');
  });

  it('generates the signing secret as canonical base64 in Secrets Manager, kept on AWS', () => {
    aws.controlPlane.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: {
        GenerateSecretString: {
          SecretStringTemplate: JSON.stringify({ kid: EDGE_INITIAL_KEY_ID }),
          GenerateStringKey: 'secret',
          ExcludePunctuation: true,
          IncludeSpace: false,
          PasswordLength: EDGE_GENERATED_SECRET_LENGTH,
        },
      },
    });
    expect(EDGE_GENERATED_SECRET_LENGTH % 4).toBe(0);
  });

  it('provisions the signing keys into the KeyValueStore on deploy, with no secret in the template', () => {
    const kvs = logicalIdOf(edge, 'AWS::CloudFront::KeyValueStore');
    const provisioner = deployedFunctions(edge);
    expect(provisioner.map((f) => f.functionId)).toEqual(['provisionEdgeKeys']);
    const [fn] = provisioner as [DeployedFunction];
    const secretImport = {
      'Fn::ImportValue': expect.stringMatching(/^Showrunner-ControlPlane:ExportsOutputRefEdgeSigningKey/),
    };
    expect(fn.environment).toMatchObject({
      [ENV.EDGE_KVS_ARN]: { 'Fn::GetAtt': [kvs, 'Arn'] },
      [ENV.EDGE_KEY_SECRET_ARN]: secretImport,
    });
    expect(resourcesOf(fn.statements, 'secretsmanager:GetSecretValue')).toEqual([secretImport]);
    expect(resourcesOf(fn.statements, 'cloudfront-keyvaluestore:PutKey')).toEqual([
      { 'Fn::GetAtt': [kvs, 'Arn'] },
    ]);

    const [custom] = Object.values(edge.findResources('Custom::EdgeSigningKeys')) as Resource[];
    expect(custom?.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^FunctionsProvisionEdgeKeys/), 'Arn'] },
      ServiceTimeout: '300',
      KeyValueStoreArn: { 'Fn::GetAtt': [kvs, 'Arn'] },
      SecretArn: secretImport,
    });
    // The value is generated by Secrets Manager and read at run time: never a property, never a
    // dynamic reference resolved into a template.
    const [secretResource] = Object.values(
      aws.controlPlane.findResources('AWS::SecretsManager::Secret'),
    ) as Resource[];
    expect(secretResource?.Properties).not.toHaveProperty('SecretString');
    for (const stack of aws.assembly.stacks) {
      expect(JSON.stringify(stack.template), stack.stackName).not.toContain('resolve:secretsmanager');
    }
  });

  it('sweeps the revocations hourly', () => {
    expect(functions.map((f) => f.functionId)).toContain('sweepRevocations');
    aws.controlPlane.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FunctionsSweepRevocations'), 'Arn'] },
        }),
      ],
    });
  });

  it('acknowledges the secret rotation finding with the reason', () => {
    const report = JSON.parse(
      readFileSync(join(aws.assembly.directory, 'validation-report.json'), 'utf8'),
    ) as {
      pluginReports: {
        pluginName: string;
        suppressedViolations: {
          ruleName: string;
          reason: string;
          violatingConstructs: { constructPath: string }[];
        }[];
      }[];
    };
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    const rotation = nag?.suppressedViolations.find((v) => v.ruleName === 'AwsSolutions-SMG4');
    expect(rotation?.violatingConstructs.map((c) => c.constructPath)).toEqual([
      'Showrunner-ControlPlane/EdgeSigningKey/Secret/Resource',
    ]);
    expect(rotation?.reason).toContain('docs/edge.md');
  });
});

describe('delivery wiring on the embedded platform (local edges)', () => {
  let functions: DeployedFunction[];
  let local: ReturnType<typeof synth>;

  beforeAll(() => {
    local = synth('local');
    functions = deployedFunctions(local.controlPlane);
  });

  it('writes no edge variable into the template: the running platform sets them from the declaration', () => {
    for (const fn of functions) {
      for (const name of [...LOCAL_EDGE_VARIABLES, ...AWS_EDGE_VARIABLES]) {
        expect(fn.environment[name], `${fn.functionId} ${name}`).toBeUndefined();
      }
    }
    expect(functions.some((f) => f.functionId === 'sweepRevocations')).toBe(true);
  });

  it('gives each declared need its values at start, and the revocation writers the edges’ store', () => {
    const values = {
      apiBaseUrl: 'http://localhost:3000',
      mediaBaseUrl: 'http://localhost:8079',
      pathways: [{ id: 'edge-a', baseUrl: 'http://localhost:8080' }],
      signingKey: { kid: 'local-1', secret: 'c2VjcmV0' },
    };
    const expected: Record<EdgeNeed, Record<string, string>> = {
      pathways: { [ENV.EDGE_PATHWAYS]: JSON.stringify(values.pathways) },
      keys: { [ENV.EDGE_KEY_ID]: 'local-1', [ENV.EDGE_KEY_SECRET]: 'c2VjcmV0' },
      // The platform stands its edges' store in (local/lambda/stand-ins.ts): no variable.
      revocations: {},
      provision: {},
    };
    for (const fn of functions) {
      const set = platformEnvironment(fn.declaration, values);
      const edgeVariables = Object.fromEntries(
        Object.entries(set).filter(([name]) => LOCAL_EDGE_VARIABLES.includes(name as never)),
      );
      expect(edgeVariables, fn.functionId).toEqual(Object.assign({}, ...needs(fn).map((n) => expected[n])));
      expect(standInsFor(fn.functionId, { edgeKvsFile: '/data/edge-kvs.json' }), fn.functionId).toEqual(
        needs(fn).includes('revocations') ? { edgeKeyValueStoreFile: '/data/edge-kvs.json' } : {},
      );
    }
  });

  it('has no signing secret in Secrets Manager and no edge stack', () => {
    local.controlPlane.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(local.edge).toBeUndefined();
  });
});

describe('delivery wiring on LocalStack (no edge)', () => {
  it('has no function that needs the edge, no playback route, no sweep and no secret', () => {
    const localstack = synth('localstack');
    const functions = deployedFunctions(localstack.controlPlane);

    expect(functions.filter((f) => needs(f).length > 0).map((f) => f.functionId)).toEqual([]);
    const paths = Object.values(localstack.controlPlane.findResources('AWS::ApiGateway::Resource')).map(
      (r) => (r.Properties as { PathPart: string }).PathPart,
    );
    expect(paths).not.toContain('playback');
    expect(paths).not.toContain('steering');
    localstack.controlPlane.resourcePropertiesCountIs(
      'AWS::Events::Rule',
      { ScheduleExpression: 'rate(1 hour)' },
      0,
    );
    localstack.controlPlane.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });
});
