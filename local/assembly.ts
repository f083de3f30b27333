/**
 * The embedded platform's view of the CDK app: it synthesizes the `local` target in process
 * and reads tables, buckets, functions, the state machines, the event rules and the event source
 * mappings from the templates. Nothing here is a second list of resources.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, createApp } from '../bin/showrunner.ts';
import { FUNCTION_METADATA, type FunctionId } from '../lambdas/contracts/functions.ts';
import { loadConfig } from '../lib/config.ts';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface CfnResource {
  Type: string;
  Properties?: Record<string, Json>;
  Metadata?: Record<string, Json>;
}
interface Template {
  Resources?: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }>;
}

export interface LocalTable {
  logicalId: string;
  /** Construct id in its stack (`Catalog`, `MediaJobs`), as declared in `lambdas/contracts/tables.ts`. */
  constructId?: string;
  name: string;
  partitionKey: string;
  sortKey: string | undefined;
  timeToLiveAttribute: string | undefined;
  attributeDefinitions: { AttributeName: string; AttributeType: string }[];
  globalSecondaryIndexes: { IndexName: string; KeySchema: { AttributeName: string; KeyType: string }[] }[];
  /** `NEW_AND_OLD_IMAGES` …: the table publishes a stream of its changes. @default no stream */
  streamViewType?: string | undefined;
}

export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  functionId: FunctionId;
  entry: string;
  handler: string;
  timeoutSec: number;
  environment: Record<string, string>;
}

export interface LocalRule {
  logicalId: string;
  /**
   * The rule's construct id (`RenewalSchedule`, `RecommendationsSchedule`: the declared rule id),
   * from its construct path; absent when the template has no path metadata.
   */
  ruleId?: string | undefined;
  /** Absent on scheduled rules. */
  eventPattern: Record<string, Json> | undefined;
  /** `cron(…)` or `rate(…)` of a scheduled rule; the local platform runs these on demand. */
  schedule?: string | undefined;
  /** `input`: the target's constant `Input` (parsed), which EventBridge sends instead of the event. */
  targets: { arn: string; input?: Json | undefined }[];
}

export interface LocalStateMachine {
  logicalId: string;
  arn: string;
  /** Its construct path (`Showrunner-MediaPipeline/EncodeWorkflow/StateMachine/Resource`), when the template has it. */
  path?: string | undefined;
  definition: Record<string, Json>;
}

/**
 * A Lambda event source mapping on a DynamoDB Stream, as the template declares it (the local
 * stream poller, `local/streams/`, runs it).
 */
export interface LocalStreamMapping {
  logicalId: string;
  /** Construct id (the declared `mappingId`), from the construct path; else the logical id. */
  mappingId: string;
  /** The function's local name (`FunctionName`). */
  functionName: string;
  /** The table whose stream it reads (its local name). */
  tableName: string;
  /** `TRIM_HORIZON` or `LATEST`. */
  startingPosition: string;
  batchSize: number;
  maxBatchingWindowSec: number;
  /** Retries of a failing batch; `undefined`: until the records expire (Lambda's -1). */
  retryAttempts: number | undefined;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  /** Lambda filter patterns (parsed from `FilterCriteria.Filters[].Pattern`); empty: every record. */
  filters: Record<string, Json>[];
  /** ARN of the on-failure destination, if any. */
  onFailure: string | undefined;
  enabled: boolean;
}

export interface LocalAssembly {
  tables: LocalTable[];
  buckets: { logicalId: string; name: string }[];
  functions: LocalFunction[];
  stateMachines: LocalStateMachine[];
  rules: LocalRule[];
  /** DynamoDB Stream event source mappings. */
  streamMappings: LocalStreamMapping[];
  /** A bucket's local name by its construct id (`IngestBucket`, `MediaBucket`). */
  bucketNamed(constructId: string): string;
  functionById(id: FunctionId): LocalFunction;
  /** The rule with this construct id (or logical id). */
  ruleById(ruleId: string): LocalRule;
  /** The state machine with this ARN, if one is (a rule target may be a function or a state machine). */
  stateMachineByArn(arn: string): LocalStateMachine | undefined;
}

/** Synthesizes the `local` target (no bundling: workers load the sources) and reads it. */
export function synthesizeLocal(): LocalAssembly {
  const outdir = mkdtempSync(join(tmpdir(), 'showrunner-synth-'));
  try {
    const app = createApp({
      outdir,
      context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
    });
    buildApp(app, loadConfig('local'));
    const assembly = app.synth();
    const templates = assembly.stacks.map((s) => ({
      stackName: s.stackName,
      template: s.template as Template,
    }));
    return readTemplates(templates);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Reads resources from synthesized templates, naming each resource locally and resolving references. */
export function readTemplates(stacks: { stackName: string; template: Template }[]): LocalAssembly {
  const physical = new Map<
    string,
    { type: string; name: string; stack: string; constructId: string; path: string | undefined }
  >();
  for (const { stackName, template } of stacks) {
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const path =
        typeof resource.Metadata?.['aws:cdk:path'] === 'string' ? resource.Metadata['aws:cdk:path'] : '';
      const constructId = path.split('/')[1] ?? logicalId;
      physical.set(logicalId, {
        type: resource.Type,
        name: localName(resource.Type, stackName, logicalId),
        stack: stackName,
        constructId,
        path: path === '' ? undefined : path,
      });
    }
  }
  const exports = new Map<string, Json>();
  const resolve = (value: Json): Json => resolveIntrinsics(value, physical, exports);
  for (const { template } of stacks) {
    for (const output of Object.values(template.Outputs ?? {})) {
      if (output.Export) exports.set(String(resolve(output.Export.Name)), resolve(output.Value));
    }
  }

  const result: Omit<LocalAssembly, 'bucketNamed' | 'functionById' | 'ruleById' | 'stateMachineByArn'> = {
    tables: [],
    buckets: [],
    functions: [],
    stateMachines: [],
    rules: [],
    streamMappings: [],
  };
  for (const { template } of stacks) {
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const props = (resource.Properties ?? {}) as Record<string, Json>;
      const name = physical.get(logicalId)?.name ?? logicalId;
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table': {
          const keys = props.KeySchema as { AttributeName: string; KeyType: string }[];
          result.tables.push({
            logicalId,
            constructId: physical.get(logicalId)?.constructId,
            name,
            partitionKey: keys.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '',
            sortKey: keys.find((k) => k.KeyType === 'RANGE')?.AttributeName,
            timeToLiveAttribute: (props.TimeToLiveSpecification as { AttributeName?: string } | undefined)
              ?.AttributeName,
            attributeDefinitions: props.AttributeDefinitions as LocalTable['attributeDefinitions'],
            globalSecondaryIndexes: (props.GlobalSecondaryIndexes ??
              []) as LocalTable['globalSecondaryIndexes'],
            streamViewType: (props.StreamSpecification as { StreamViewType?: string } | undefined)
              ?.StreamViewType,
          });
          break;
        }
        case 'AWS::S3::Bucket':
          result.buckets.push({ logicalId, name });
          break;
        case 'AWS::Lambda::Function': {
          const meta = resource.Metadata ?? {};
          const functionId = meta[FUNCTION_METADATA.ID];
          if (typeof functionId !== 'string') break;
          const variables = ((props.Environment as { Variables?: Record<string, Json> } | undefined)
            ?.Variables ?? {}) as Record<string, Json>;
          result.functions.push({
            logicalId,
            name,
            arn: lambdaArn(name),
            functionId: functionId as FunctionId,
            entry: String(meta[FUNCTION_METADATA.ENTRY]),
            handler: String(meta[FUNCTION_METADATA.HANDLER] ?? 'handler'),
            timeoutSec: Number(props.Timeout ?? 10),
            environment: Object.fromEntries(
              Object.entries(variables).map(([k, v]) => [k, String(resolve(v))]),
            ),
          });
          break;
        }
        case 'AWS::StepFunctions::StateMachine': {
          const definition = resolve(props.DefinitionString as Json);
          result.stateMachines.push({
            logicalId,
            arn: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`,
            path: physical.get(logicalId)?.path,
            definition: JSON.parse(String(definition)) as Record<string, Json>,
          });
          break;
        }
        case 'AWS::Events::Rule': {
          const targets = (props.Targets ?? []) as { Arn: Json; Input?: Json }[];
          const path = physical.get(logicalId)?.path;
          result.rules.push({
            logicalId,
            ruleId: path ? leafId(path) : undefined,
            eventPattern:
              props.EventPattern === undefined
                ? undefined
                : (resolve(props.EventPattern as Json) as Record<string, Json>),
            schedule: typeof props.ScheduleExpression === 'string' ? props.ScheduleExpression : undefined,
            targets: targets.map((t) => ({
              arn: String(resolve(t.Arn)),
              input: t.Input === undefined ? undefined : (JSON.parse(String(resolve(t.Input))) as Json),
            })),
          });
          break;
        }
        case 'AWS::Lambda::EventSourceMapping': {
          const source = String(resolve(props.EventSourceArn as Json));
          const table = /:table\/([^/]+)\/stream\//.exec(source)?.[1];
          // Only DynamoDB Streams have a local poller (no Kinesis, SQS or Kafka here).
          if (!table) break;
          const path = physical.get(logicalId)?.path;
          const filters = ((props.FilterCriteria as { Filters?: { Pattern: Json }[] } | undefined)?.Filters ??
            []) as { Pattern: Json }[];
          const retries = props.MaximumRetryAttempts;
          result.streamMappings.push({
            logicalId,
            mappingId: path ? leafId(path) : logicalId,
            functionName: String(resolve(props.FunctionName as Json)),
            tableName: table,
            startingPosition: String(props.StartingPosition ?? 'TRIM_HORIZON'),
            batchSize: Number(props.BatchSize ?? 100),
            maxBatchingWindowSec: Number(props.MaximumBatchingWindowInSeconds ?? 0),
            retryAttempts: retries === undefined || Number(retries) < 0 ? undefined : Number(retries),
            bisectBatchOnFunctionError: props.BisectBatchOnFunctionError === true,
            reportBatchItemFailures: ((props.FunctionResponseTypes ?? []) as Json[]).includes(
              'ReportBatchItemFailures',
            ),
            filters: filters.map((f) => JSON.parse(String(resolve(f.Pattern))) as Record<string, Json>),
            onFailure: (() => {
              const destination = (
                props.DestinationConfig as { OnFailure?: { Destination?: Json } } | undefined
              )?.OnFailure?.Destination;
              return destination === undefined ? undefined : String(resolve(destination));
            })(),
            enabled: props.Enabled !== false,
          });
          break;
        }
        default:
          break;
      }
    }
  }
  const constructIds = new Map([...physical.values()].map((p) => [p.name, p.constructId]));
  return {
    ...result,
    bucketNamed(constructId) {
      const bucket = result.buckets.find((b) => constructIds.get(b.name) === constructId);
      if (!bucket) throw new Error(`No bucket ${constructId} in the synthesized app.`);
      return bucket.name;
    },
    functionById(id) {
      const fn = result.functions.find((f) => f.functionId === id);
      if (!fn) throw new Error(`No function ${id} in the synthesized app.`);
      return fn;
    },
    ruleById(ruleId) {
      const rule = result.rules.find((r) => r.ruleId === ruleId || r.logicalId === ruleId);
      if (!rule) throw new Error(`No rule ${ruleId} in the synthesized app.`);
      return rule;
    },
    stateMachineByArn(arn) {
      return result.stateMachines.find((m) => m.arn === arn);
    },
  };
}

/**
 * The id of the construct a resource belongs to: the last segment of its path before CDK's
 * `Resource` (`…/StreamTriggers/HistoryViewingEvents/Resource` → `HistoryViewingEvents`).
 */
function leafId(path: string): string {
  const segments = path.split('/');
  if (segments.length > 1 && segments[segments.length - 1] === 'Resource') segments.pop();
  return segments[segments.length - 1] ?? path;
}

function localName(type: string, stackName: string, logicalId: string): string {
  const raw = `${stackName}-${logicalId}`;
  // Bucket names: lowercase, 3–63 characters, no underscores.
  return type === 'AWS::S3::Bucket'
    ? raw
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .slice(0, 63)
    : raw;
}

function lambdaArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
}

function arnOf(type: string, name: string): string {
  switch (type) {
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${name}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name}`;
    case 'AWS::Lambda::Function':
      return lambdaArn(name);
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`;
    default:
      return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
  }
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Showrunner',
};

/** Resolves the intrinsic functions CDK emits for references between resources. */
export function resolveIntrinsics(
  value: Json,
  physical: ReadonlyMap<string, { type: string; name: string }>,
  exports: ReadonlyMap<string, Json>,
): Json {
  const again = (v: Json) => resolveIntrinsics(v, physical, exports);
  if (Array.isArray(value)) return value.map(again);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const arg = value[fn] as Json;
    switch (fn) {
      case 'Ref': {
        const name = String(arg);
        if (name in PSEUDO) return PSEUDO[name] as string;
        const resource = physical.get(name);
        if (!resource) throw new Error(`Ref to unknown resource ${name}`);
        return resource.type === 'AWS::StepFunctions::StateMachine'
          ? arnOf(resource.type, resource.name)
          : resource.name;
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = (Array.isArray(arg) ? arg : String(arg).split('.')) as [
          string,
          string,
        ];
        const resource = physical.get(logicalId);
        if (!resource) throw new Error(`Fn::GetAtt on unknown resource ${logicalId}`);
        if (attribute === 'Arn') return arnOf(resource.type, resource.name);
        // The stream's label is only known once DynamoDB Local made it: pollers find the live
        // stream by the table name in this ARN (`local/streams/`).
        if (attribute === 'StreamArn' && resource.type === 'AWS::DynamoDB::Table')
          return `${arnOf(resource.type, resource.name)}/stream/local`;
        if (attribute === 'Name' || attribute === 'QueueName') return resource.name;
        throw new Error(`Fn::GetAtt ${logicalId}.${attribute} is not resolved locally`);
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
        if (!exports.has(name)) throw new Error(`Fn::ImportValue of unknown export ${name}`);
        return exports.get(name) as Json;
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
        break;
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, again(v)]));
}
