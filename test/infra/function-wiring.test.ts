/**
 * One wiring path, checked from the outside: in every stack of every target, each house
 * function's environment variables and IAM statements are exactly those its declaration
 * (`lambdas/contracts/functions.ts`) implies — nothing missing, nothing extra. The expectations
 * below spell out what each need means, independently of the code in lib/ that applies them.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUCKET_ENV,
  CONFIG_ENV,
  EDGE_ENV,
  functionEnv,
  IDENTITY_ENV,
  tableEnv,
} from '../../lambdas/contracts/env.ts';
import {
  FUNCTION_METADATA,
  FUNCTIONS,
  type FunctionDeclaration,
  type FunctionId,
} from '../../lambdas/contracts/functions.ts';
import { TABLES, type TableId } from '../../lambdas/contracts/tables.ts';
import { loadConfig, TARGETS, type TargetName } from '../../lib/config.ts';
import { synth } from './synth.ts';

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}
interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
interface Known {
  type: string;
  /** The logical id without CDK's hash: the construct path's ids joined (`FunctionsStartPlaybackLogs`). */
  base: string;
  functionId?: FunctionId;
}

/** What `read` and `write` on a table allow: items only, no Scan, no table administration. */
const TABLE_ACTIONS = {
  read: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'],
  write: [
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
  ],
};
const OBJECT_ACTIONS = { get: 's3:GetObject', put: 's3:PutObject', delete: 's3:DeleteObject' } as const;
const BUCKET_CONSTRUCTS = {
  ingest: 'IngestBucket',
  media: 'MediaBucket',
  discovery: 'DiscoveryBucket',
} as const;
/**
 * What an event source mapping polls a table's stream with, as the function: on that stream only,
 * and `dynamodb:ListStreams`, which IAM grants on `*` only.
 */
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
/** The control plane's one on-failure destination of its stream mappings (`StreamTriggers`). */
const STREAM_DEAD_LETTERS = 'queue:StreamTriggersFailedBatches';
const KVS_WRITE = [
  'cloudfront-keyvaluestore:DescribeKeyValueStore',
  'cloudfront-keyvaluestore:ListKeys',
  'cloudfront-keyvaluestore:PutKey',
  'cloudfront-keyvaluestore:UpdateKeys',
];

/** Every variable and every `action resource` pair the declaration implies on `target`. */
function expectedOf(functionId: FunctionId, target: TargetName) {
  const declaration: FunctionDeclaration = FUNCTIONS[functionId];
  const config = loadConfig(target);
  const env = new Set<string>(['POWERTOOLS_SERVICE_NAME']);
  const grants = new Set<string>([
    'logs:CreateLogStream own-log-group',
    'logs:PutLogEvents own-log-group',
    'xray:PutTelemetryRecords *',
    'xray:PutTraceSegments *',
  ]);
  if ('async' in declaration && declaration.async) grants.add('sqs:SendMessage own-dead-letter-queue');
  for (const [tableId, access] of Object.entries(declaration.tables ?? {}) as [TableId, 'read' | 'write'][]) {
    env.add(tableEnv(tableId));
    const table = `table:${TABLES[tableId].constructId}`;
    for (const action of TABLE_ACTIONS[access]) grants.add(`${action} ${table}`);
    if (TABLES[tableId].indexes.length > 0) grants.add(`dynamodb:Query ${table}/index/*`);
  }
  for (const [bucketId, list] of Object.entries(declaration.buckets ?? {})) {
    const id = bucketId as keyof typeof BUCKET_ENV;
    env.add(BUCKET_ENV[id]);
    for (const grant of list ?? []) {
      for (const action of grant.actions) {
        if (action === 'list')
          grants.add(`s3:ListBucket bucket:${BUCKET_CONSTRUCTS[id]}?prefix=${grant.prefix}*`);
        else grants.add(`${OBJECT_ACTIONS[action]} bucket:${BUCKET_CONSTRUCTS[id]}/${grant.prefix}*`);
      }
    }
  }
  for (const callee of (declaration.invokes ?? []) as FunctionId[]) {
    env.add(functionEnv(callee));
    grants.add(`lambda:InvokeFunction function:${callee}`);
  }
  for (const source of declaration.streams ?? []) {
    // The mapping polls with the function's role; no variable: the records come in the event.
    for (const action of STREAM_READ) grants.add(`${action} stream:${TABLES[source.table].constructId}`);
    grants.add('dynamodb:ListStreams *');
    grants.add(`sqs:SendMessage ${STREAM_DEAD_LETTERS}`);
  }
  for (const need of declaration.config ?? []) env.add(CONFIG_ENV[need]);
  // `urls`: `api` only where -c apiBaseUrl is given (not in these synths), `mediaOrigin` only on
  // the embedded platform, which sets both at start (test/infra/delivery-wiring.test.ts).
  if (declaration.identity) {
    for (const name of IDENTITY_ENV[config.identityProvider]) {
      // The local provider's issuer is known at synth; Cognito's ids come from the pool.
      env.add(name);
    }
    if (declaration.identity === 'manage' && config.identityProvider === 'cognito') {
      grants.add('cognito-idp:AdminCreateUser user-pool');
      grants.add('cognito-idp:AdminSetUserPassword user-pool');
    }
  }
  if (config.deliveryEdge === 'cloudfront') {
    for (const need of declaration.edge ?? []) {
      for (const name of EDGE_ENV.cloudfront[need]) env.add(name);
      if (need === 'pathways') grants.add('ssm:GetParameter ssm:/showrunner/edge/pathways');
      if (need === 'keys' || need === 'provision')
        grants.add('secretsmanager:GetSecretValue secret:edge-signing-key');
      if (need === 'revocations') grants.add('ssm:GetParameter ssm:/showrunner/edge/key-value-store-arn');
      if (need === 'revocations' || need === 'provision')
        for (const action of KVS_WRITE) grants.add(`${action} kvs`);
    }
  }
  return { env: [...env].sort(), grants: [...grants].sort() };
}

/** The app's templates on `target`, with every resource by logical id. */
function deployment(target: TargetName) {
  const built = synth(target);
  const stacks = [
    built.data,
    built.pipeline,
    built.controlPlane,
    ...(built.edge ? [Template.fromStack(built.edge)] : []),
  ];
  const resources = stacks.map((t) => (t.toJSON() as { Resources: Record<string, Resource> }).Resources);
  const known = new Map<string, Known>();
  for (const template of resources) {
    for (const [logicalId, r] of Object.entries(template)) {
      const functionId = r.Metadata?.[FUNCTION_METADATA.ID] as FunctionId | undefined;
      known.set(logicalId, { type: r.Type, base: logicalId.replace(/[0-9A-F]{8}$/, ''), functionId });
    }
  }
  return { resources, known };
}

/** A resource of a statement, named the way `expectedOf` names it. */
function label(resource: unknown, fn: Known, known: Map<string, Known>): string {
  if (resource === '*') return '*';
  const text = JSON.stringify(resource);
  const parameter = /:parameter(\/[\w/-]+)"/.exec(text);
  if (parameter) return `ssm:${parameter[1]}`;
  const ids = [...known.keys()].filter((id) => text.includes(id));
  const id = ids.sort((a, b) => b.length - a.length)[0];
  const found = id ? known.get(id) : undefined;
  if (!found) return `unknown:${text}`;
  const suffix = (
    Array.isArray((resource as { 'Fn::Join'?: unknown[] })['Fn::Join']?.[1])
      ? ((resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].filter(
          (p) => typeof p === 'string',
        ) as string[])
      : []
  ).join('');
  const own = (part: string) => found.base === `${fn.base}${part}`;
  const constructId = found.base;
  switch (found.type) {
    case 'AWS::DynamoDB::Table':
      // `GetAtt <table>.StreamArn` (imported from the data stack): the table's stream, not the table.
      return text.includes('StreamArn') ? `stream:${constructId}` : `table:${constructId}${suffix}`;
    case 'AWS::S3::Bucket':
      return `bucket:${constructId}${suffix}`;
    case 'AWS::Lambda::Function':
      return `function:${found.functionId}`;
    case 'AWS::Logs::LogGroup':
      return own('Logs') ? 'own-log-group' : `log-group:${found.base}`;
    case 'AWS::SQS::Queue':
      return own('DeadLetters') ? 'own-dead-letter-queue' : `queue:${found.base}`;
    case 'AWS::SecretsManager::Secret':
      return found.base.startsWith('EdgeSigningKey') ? 'secret:edge-signing-key' : `secret:${found.base}`;
    case 'AWS::CloudFront::KeyValueStore':
      return 'kvs';
    case 'AWS::Cognito::UserPool':
      return 'user-pool';
    default:
      return `${found.type}:${found.base}`;
  }
}

/** Each house function of the deployment: its variables and every `action resource` its role is allowed. */
function deployedFunctions(target: TargetName) {
  const { resources, known } = deployment(target);
  const all = Object.assign({}, ...resources) as Record<string, Resource>;
  return Object.entries(all)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[FUNCTION_METADATA.ID])
    .map(([logicalId, r]) => {
      const fn = known.get(logicalId) as Known;
      const role = (r.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      // `{ Ref: role }` in its own stack, `ExportsOutputRef<role>…` from another (the edge stack's grant).
      const attached = (p: Resource) => JSON.stringify(p.Properties.Roles ?? []).includes(role);
      const grants = Object.values(all)
        .filter((p) => p.Type === 'AWS::IAM::Policy' && attached(p))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .flatMap((s) => {
          const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
          const targets = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
          const prefix = s.Condition?.StringLike?.['s3:prefix'];
          return actions.flatMap((a) =>
            targets.map(
              (t) =>
                `${a} ${label(t, fn, known)}${prefix ? `?prefix=${(prefix as string[]).join(',')}` : ''}`,
            ),
          );
        });
      const env = Object.keys(
        (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
      );
      return {
        functionId: fn.functionId as FunctionId,
        env: env.sort(),
        grants: [...new Set(grants)].sort(),
      };
    });
}

describe.each(TARGETS)('function wiring on %s', (target) => {
  let functions: ReturnType<typeof deployedFunctions>;

  beforeAll(() => {
    functions = deployedFunctions(target);
  });

  it('builds the functions the target runs, each once', () => {
    const ids = functions.map((f) => f.functionId);

    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('authorizer');
    expect(ids).toContain('validateSource');
  });

  it('gives each function exactly the environment variables its declaration implies', () => {
    for (const fn of functions) expect(fn.env, fn.functionId).toEqual(expectedOf(fn.functionId, target).env);
  });

  it('gives each function exactly the IAM statements its declaration implies', () => {
    for (const fn of functions) {
      expect(fn.grants, fn.functionId).toEqual(expectedOf(fn.functionId, target).grants);
    }
  });
});
