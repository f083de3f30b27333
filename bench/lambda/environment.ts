/**
 * A measured function's environment, as Lambda would give it: the variables of its synthesized
 * template with every CloudFormation token replaced by a plausible deployed value (table and
 * function names, ARNs, Cognito ids), plus what the Lambda runtime itself sets
 * (`AWS_LAMBDA_FUNCTION_NAME`, credentials, region, X-Ray, `_HANDLER` …), plus the bench's own:
 * the stub endpoint and its certificate.
 *
 * Tokens are resolved like `local/assembly.ts` resolves them for the local platform (Ref,
 * Fn::GetAtt, Fn::Join, Fn::Sub, Fn::ImportValue …), but named as on AWS (account
 * 123456789012, us-east-1, `arn:aws:…`), and an attribute it does not know becomes a readable
 * placeholder rather than an error: the value only has to look deployed.
 */
import { dirname } from 'node:path';
import { STUB_ACCOUNT, STUB_REGION } from './aws-stub.ts';
import type { HouseFunction, StackTemplate } from './bundles.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Physical {
  readonly type: string;
  readonly name: string;
}

export interface TemplateResolver {
  /** The function's variables with tokens resolved. */
  variablesOf(fn: HouseFunction): Record<string, string>;
  /** Its physical name (`AWS_LAMBDA_FUNCTION_NAME`). */
  nameOf(fn: HouseFunction): string;
}

export function templateResolver(stacks: readonly StackTemplate[]): TemplateResolver {
  const physical = new Map<string, Map<string, Physical>>();
  for (const { stackName, template } of stacks) {
    const own = new Map<string, Physical>();
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      own.set(logicalId, { type: resource.Type, name: physicalName(resource.Type, stackName, logicalId) });
    }
    physical.set(stackName, own);
  }
  const exports = new Map<string, Json>();
  for (const { stackName, template } of stacks) {
    for (const output of Object.values(template.Outputs ?? {})) {
      if (output.Export) {
        exports.set(String(resolve(output.Export.Name, stackName)), resolve(output.Value, stackName));
      }
    }
  }

  function resolve(value: Json, stackName: string): Json {
    const again = (v: Json) => resolve(v, stackName);
    if (Array.isArray(value)) return value.map(again);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    const [fn] = keys;
    if (keys.length !== 1 || fn === undefined || !(fn === 'Ref' || fn.startsWith('Fn::'))) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, again(v)]));
    }
    const arg = value[fn] as Json;
    const resources = physical.get(stackName) ?? new Map<string, Physical>();
    switch (fn) {
      case 'Ref':
        return refOf(String(arg), stackName, resources);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = (Array.isArray(arg) ? arg : String(arg).split('.')).map(String);
        return getAtt(resources.get(logicalId ?? ''), logicalId ?? '', attribute ?? '');
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, Json[]];
        return (again(parts) as Json[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [number, Json];
        return (again(list) as Json[])[Number(index)] ?? null;
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, Json];
        return String(again(source)).split(separator);
      }
      case 'Fn::ImportValue': {
        const name = String(again(arg));
        return exports.get(name) ?? `bench-unknown-export-${name}`;
      }
      case 'Fn::Sub': {
        const template = Array.isArray(arg) ? String(arg[0]) : String(arg);
        const vars = (Array.isArray(arg) ? (arg[1] as Record<string, Json>) : {}) ?? {};
        return template.replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
          if (ref in vars) return String(again(vars[ref] as Json));
          if (ref.includes('.')) return String(again({ 'Fn::GetAtt': ref.split('.') }));
          return String(again({ Ref: ref }));
        });
      }
      default:
        return `bench-${fn.replace('Fn::', '')}`;
    }
  }

  return {
    variablesOf(fn) {
      return Object.fromEntries(
        Object.entries(fn.variables).map(([k, v]) => [k, String(resolve(v, fn.stackName))]),
      );
    },
    nameOf(fn) {
      return physical.get(fn.stackName)?.get(fn.logicalId)?.name ?? `${fn.stackName}-${fn.logicalId}`;
    },
  };
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': STUB_REGION,
  'AWS::AccountId': STUB_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** CloudFormation's generated names look like `Stack-LogicalId-RANDOM`; a stable suffix will do. */
function physicalName(type: string, stackName: string, logicalId: string): string {
  const raw = `${stackName}-${logicalId}-BENCH1A2B3C`;
  return type === 'AWS::S3::Bucket' ? raw.toLowerCase().slice(0, 63) : raw.slice(0, 140);
}

function refOf(name: string, stackName: string, resources: ReadonlyMap<string, Physical>): string {
  if (name === 'AWS::StackName') return stackName;
  if (name in PSEUDO) return PSEUDO[name] as string;
  const resource = resources.get(name);
  if (!resource) return `bench-unknown-ref-${name}`;
  switch (resource.type) {
    case 'AWS::SecretsManager::Secret':
      return arnOf(resource);
    case 'AWS::Cognito::UserPool':
      return `${STUB_REGION}_BenchPool1`;
    case 'AWS::Cognito::UserPoolClient':
      return 'benchclient0000000000000001';
    case 'AWS::SQS::Queue':
      return `https://sqs.${STUB_REGION}.amazonaws.com/${STUB_ACCOUNT}/${resource.name}`;
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::SNS::Topic':
      return arnOf(resource);
    default:
      return resource.name;
  }
}

function arnOf(resource: Physical): string {
  const { type, name } = resource;
  const at = `${STUB_REGION}:${STUB_ACCOUNT}`;
  switch (type) {
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${at}:table/${name}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${at}:function:${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${at}:stateMachine:${name}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${at}:${name}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${at}:${name}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${STUB_ACCOUNT}:role/${name}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${at}:secret:${name}-AbCdEf`;
    case 'AWS::Events::EventBus':
      return `arn:aws:events:${at}:event-bus/${name}`;
    case 'AWS::CloudFront::KeyValueStore':
      return `arn:aws:cloudfront::${STUB_ACCOUNT}:key-value-store/00000000-bench-4000-8000-000000000001`;
    case 'AWS::Cognito::UserPool':
      return `arn:aws:cognito-idp:${at}:userpool/${STUB_REGION}_BenchPool1`;
    default:
      return `arn:aws:${type.split('::')[1]?.toLowerCase() ?? 'bench'}:${at}:${name}`;
  }
}

function getAtt(resource: Physical | undefined, logicalId: string, attribute: string): string {
  if (!resource) return `bench-unknown-${logicalId}-${attribute}`;
  switch (attribute) {
    case 'Arn':
      return arnOf(resource);
    case 'Name':
    case 'QueueName':
    case 'Id':
      return resource.name;
    case 'DomainName':
      return 'd111111abcdef8.cloudfront.net';
    case 'ProviderURL':
      return `cognito-idp.${STUB_REGION}.amazonaws.com/${STUB_REGION}_BenchPool1`;
    default:
      return `bench-${logicalId}-${attribute}`;
  }
}

export interface LambdaEnvironmentOptions {
  readonly functionName: string;
  readonly variables: Record<string, string>;
  readonly fn: HouseFunction;
  readonly bundleDir: string;
  readonly stubEndpoint: string;
  readonly stubKeyValueStoreEndpoint: string;
  readonly stubCaFile: string | undefined;
  readonly xrayDaemonAddress: string;
}

/**
 * The whole environment of the measured process. Nothing of the bench's own environment leaks
 * in (no `npm_*`, no parent `NODE_OPTIONS`): only what Lambda sets, the function's variables
 * (`NODE_OPTIONS=--enable-source-maps` among them, as deployed), and the stub's endpoint.
 */
export function lambdaEnvironment(options: LambdaEnvironmentOptions): Record<string, string> {
  const { functionName, fn } = options;
  const [xrayHost, xrayPort] = options.xrayDaemonAddress.split(':');
  return {
    // What the Lambda runtime sets (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    _HANDLER: fn.handler,
    LAMBDA_TASK_ROOT: options.bundleDir,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime || 'nodejs24.x'}`,
    AWS_REGION: STUB_REGION,
    AWS_DEFAULT_REGION: STUB_REGION,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH01',
    AWS_SECRET_ACCESS_KEY: 'benchbenchbenchbenchbenchbenchbenchbench',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: options.xrayDaemonAddress,
    _AWS_XRAY_DAEMON_ADDRESS: xrayHost ?? '127.0.0.1',
    _AWS_XRAY_DAEMON_PORT: xrayPort ?? '2000',
    _X_AMZN_TRACE_ID: 'Root=1-67891233-abcdef012345678912345678;Parent=0123456789abcdef;Sampled=1',
    // The function's own, from its template.
    ...options.variables,
    // The bench's: every SDK call goes to the stub (S3 too, which then uses path-style addressing).
    AWS_ENDPOINT_URL: options.stubEndpoint,
    AWS_ENDPOINT_URL_S3: options.stubEndpoint,
    AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: options.stubKeyValueStoreEndpoint,
    ...(options.stubCaFile ? { NODE_EXTRA_CA_CERTS: options.stubCaFile } : {}),
  };
}
