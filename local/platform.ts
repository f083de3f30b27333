/**
 * The embedded platform: the app synthesized for the `local` target, run on local stand-ins.
 * DynamoDB Local and s3rver hold the state under one data directory; the same handlers run in
 * Lambda-like workers; the same state machines run in aws-local-stepfunctions; table streams
 * feed the same handlers through a stand-in for Lambda's event source mappings (`streams/`);
 * ffmpeg stands in for MediaConvert, driven by the same job settings.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { edgeKeyEntry } from '../lambdas/contracts/edge.ts';
import { ENV, tableEnv } from '../lambdas/contracts/env.ts';
import { FUNCTIONS, type FunctionId } from '../lambdas/contracts/functions.ts';
import { MEDIA_JOBS_TABLE } from '../lambdas/contracts/tables.ts';
import { localIdentityProvider } from '../lambdas/identity/adapters/local-identity-provider.ts';
import { parseS3Uri } from '../lambdas/media-pipeline/domain/job-settings.ts';
import { type Json, LOCAL_REGION, type LocalAssembly, synthesizeLocal } from './assembly.ts';
import { adminFromEnv } from './defaults.ts';
import { type LocalEdge, startEdge } from './edge/edge-server.ts';
import { LocalKeyValueStore } from './edge/key-value-store.ts';
import { type DynamoEmulator, ensureTables, LOCAL_CREDENTIALS, startDynamo } from './emulators/dynamodb.ts';
import { type S3Emulator, startS3 } from './emulators/s3.ts';
import { LocalEventBus, scheduledEvent } from './event-bus.ts';
import { startGateway } from './gateway.ts';
import { platformEnvironment } from './lambda/environment.ts';
import { startInvokeApi } from './lambda/invoke-api.ts';
import { type Fault, FunctionError, LambdaRuntime, parseFaults } from './lambda/runtime.ts';
import { standInsFor } from './lambda/stand-ins.ts';
import { startMediaOrigin } from './media-origin.ts';
import { type LocalStreams, startStreams } from './streams/index.ts';
import { runLocalTranscode } from './transcoder/index.ts';
import { type ExecutionRecord, LocalStateMachine, TaskError } from './workflow.ts';

/** Key id of the local edges' signing key; the secret is made once and kept in the data dir. */
const LOCAL_EDGE_KEY_ID = 'local-1';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface PlatformOptions {
  /** Where DynamoDB Local and s3rver keep their data. @default '.showrunner' */
  dataDir?: string;
  /** @default 3000; 0 picks a free port */
  gatewayPort?: number;
  /** The media origin (private: viewers go through the edges). @default 8079; 0 picks a free port */
  mediaPort?: number;
  /** Ports of the two local edges (pathways edge-a, edge-b); `npm start` asks for 8080 and 8081. @default [0, 0]: free ports */
  edgePorts?: readonly [number, number];
  /** @default 4569; 0 picks a free port */
  s3Port?: number;
  /** @default 8000; 0 picks a free port */
  dynamoPort?: number;
  /** Log function errors and workflow failures. @default true */
  log?: (message: string) => void;
  /** The administrator created (or reset) at start. @default SHOWRUNNER_ADMIN_EMAIL / _PASSWORD, else the defaults */
  admin?: { email: string; password: string };
  /**
   * Faults injected into functions' invocations, by function id (`setFault` changes them while
   * running). @default those `SHOWRUNNER_FAULTS` names (`recommendationsInternal=error;historyInternal=latency:3000`), else none
   */
  faults?: Readonly<Record<string, Fault>>;
  /**
   * The table-stream pollers: `maxBatchingWindowMs` caps each mapping's batching window locally,
   * `pollIntervalMs` is the pause between polls of an idle shard. @default { maxBatchingWindowMs: 1000, pollIntervalMs: 100 }
   */
  streams?: { maxBatchingWindowMs?: number; pollIntervalMs?: number; retryDelayMs?: number };
}

export interface PlatformInfo {
  gatewayUrl: string;
  mediaBaseUrl: string;
  s3Endpoint: string;
  dynamoEndpoint: string;
  dataDir: string;
  ingestBucket: string;
  mediaBucket: string;
  jobsTable: string;
  adminEmail: string;
  /** The edge pathways, in default priority order. */
  edges: { id: string; baseUrl: string }[];
  /** The local edges' KeyValueStore file (signing keys, revocations). */
  edgeKvsFile: string;
}

/** What one target of a rule run now did. */
export type RuleTargetRun =
  | { kind: 'function'; targetArn: string; result: unknown }
  | {
      kind: 'stateMachine';
      targetArn: string;
      /** The execution: stopped (SUCCEEDED or FAILED) unless `wait: false` was asked for. */
      execution: ExecutionRecord;
      /** Resolves with the record once the execution stopped. */
      completion: Promise<ExecutionRecord>;
    };

export interface Platform {
  info: PlatformInfo;
  assembly: LocalAssembly;
  lambda: LambdaRuntime;
  /** The encode workflow (the media pipeline's state machine). */
  stateMachine: LocalStateMachine;
  /** Every state machine of the app, by ARN (the encode workflow, the recommendations batch …). */
  stateMachines: ReadonlyMap<string, LocalStateMachine>;
  /** The table-stream pollers (one per event source mapping of the template). */
  streams: LocalStreams;
  bus: LocalEventBus;
  /** The local edges (CloudFront stand-ins running edge/verify-token.js). */
  edges: LocalEdge[];
  /**
   * The shield tier both edges fill from (the stand-in for CloudFront's Origin Shield): its
   * `originBytes` are what the media origin served, once per object for all edges.
   */
  shield: LocalEdge;
  edgeKeys: LocalKeyValueStore;
  /**
   * Runs the scheduled rule(s) targeting a function now, as if the schedule fired at `time`
   * (on AWS EventBridge fires them); resolves with the targets' results.
   */
  runScheduled(functionId: FunctionId, time?: Date): Promise<unknown[]>;
  /**
   * Runs a scheduled rule now, by its rule id (`RecommendationsSchedule`, `RenewalSchedule`), as
   * if its schedule fired at `time`: each target gets the rule's event (or the target's constant
   * input). A function target is invoked; a state machine target starts an execution, awaited
   * unless `wait: false`.
   */
  runRule(ruleId: string, options?: { time?: Date; wait?: boolean }): Promise<RuleTargetRun[]>;
  /**
   * Resolves when every table-stream mapping has processed every record written before the call
   * (delivered, filtered out or dead-lettered); rejects after `timeoutMs` (default 60 s).
   */
  streamsDrained(options?: { timeoutMs?: number }): Promise<void>;
  /** Injects a fault into every invocation of a function from now on; `undefined` clears it. */
  setFault(functionId: FunctionId, fault: Fault | undefined): void;
  /**
   * Resolves when nothing is pending: no workflow execution is running and every table stream is
   * drained (repeated until both hold at once, as one may start the other).
   */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? ((m: string) => console.error(m));
  const dataDir = resolve(options.dataDir ?? process.env.SHOWRUNNER_DATA_DIR ?? '.showrunner');
  mkdirSync(dataDir, { recursive: true });
  const assembly = synthesizeLocal();
  // Found by construct path (lib/stacks/media-pipeline-stack.ts builds it as `EncodeWorkflow`).
  const encodeDefinition = assembly.stateMachines.find((m) => m.path?.includes('/EncodeWorkflow/'));
  if (!encodeDefinition) throw new Error('The synthesized app has no encode workflow (EncodeWorkflow).');
  const faults = options.faults ?? parseFaults(process.env.SHOWRUNNER_FAULTS);
  const ingestBucket = assembly.bucketNamed('IngestBucket');
  const mediaBucket = assembly.bucketNamed('MediaBucket');
  const jobsTable = assembly.tables.find((t) => t.constructId === MEDIA_JOBS_TABLE.constructId)?.name ?? '';
  const admin = options.admin ?? adminFromEnv();

  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const dynamo: DynamoEmulator = await startDynamo({
      dataDir: join(dataDir, 'dynamodb'),
      port: await portOrFree(options.dynamoPort ?? 8000),
    });
    stops.push(() => dynamo.stop());
    await ensureTables(dynamo.client, assembly.tables);

    const s3emu: S3Emulator = await startS3({
      dataDir: join(dataDir, 's3'),
      port: await portOrFree(options.s3Port ?? 4569),
      buckets: assembly.buckets.map((b) => b.name),
    });
    stops.push(() => s3emu.stop());
    const s3 = new S3Client({
      endpoint: s3emu.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });

    const media = await startMediaOrigin({
      port: await portOrFree(options.mediaPort ?? 8079),
      s3,
      bucket: mediaBucket,
    });
    stops.push(() => closeServer(media));
    const mediaBaseUrl = `http://localhost:${addressPort(media)}`;

    // Two edges (pathways for content steering) running the CloudFront Function unchanged, with
    // the key it verifies tokens with in their KeyValueStore; the key is made once per data dir.
    const edgeKeys = new LocalKeyValueStore({ dir: join(dataDir, 'edge'), name: 'edge-kvs' });
    const keyEntry = edgeKeyEntry(LOCAL_EDGE_KEY_ID);
    if (!edgeKeys.has(keyEntry)) edgeKeys.put(keyEntry, randomBytes(32).toString('base64'));
    // Between them and the origin, a shared caching tier without the function, as Origin Shield
    // sits between the distributions and S3 on AWS (lib/constructs/delivery-distribution.ts).
    const shield = await startEdge({
      name: 'shield',
      port: 0,
      originUrl: mediaBaseUrl,
      viewerFunction: false,
    });
    stops.push(() => shield.stop());
    const edges: LocalEdge[] = [];
    for (const [index, port] of (options.edgePorts ?? [0, 0]).entries()) {
      const edge = await startEdge({
        name: `edge-${'ab'[index]}`,
        port: await portOrFree(port),
        originUrl: shield.url,
        kvs: edgeKeys,
      });
      stops.push(() => edge.stop());
      edges.push(edge);
    }
    const pathways = edges.map((edge) => ({ id: edge.name, baseUrl: `http://localhost:${edge.port}` }));

    const baseEnv: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3emu.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: '',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      // EMF metrics are CloudWatch's: locally they would only print a JSON line per invocation.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      PATH: process.env.PATH ?? '',
    };
    // What only the running platform knows (its edges, media origin, gateway), as declared.
    const gatewayPort = await portOrFree(options.gatewayPort ?? 3000);
    const gatewayUrl = `http://localhost:${gatewayPort}`;
    for (const fn of assembly.functions) {
      Object.assign(
        fn.environment,
        platformEnvironment(FUNCTIONS[fn.functionId], {
          apiBaseUrl: gatewayUrl,
          mediaBaseUrl,
          pathways,
          signingKey: { kid: LOCAL_EDGE_KEY_ID, secret: edgeKeys.get(keyEntry) ?? '' },
        }),
      );
    }
    // Internal calls between services go through a local Lambda Invoke API.
    const invokePort = await portOrFree(0);
    baseEnv.AWS_ENDPOINT_URL_LAMBDA = `http://127.0.0.1:${invokePort}`;
    const edgeKvsFile = edgeKeys.file ?? '';
    const lambda = new LambdaRuntime({
      functions: assembly.functions,
      repoRoot: REPO_ROOT,
      baseEnv,
      standIns: (fn) => standInsFor(fn.functionId, { edgeKvsFile }),
      faults,
    });
    stops.push(() => lambda.close());
    const invokeApi = await startInvokeApi({ port: invokePort, lambda });
    stops.push(() => closeServer(invokeApi));

    // The administrator, through the same identity provider the functions use.
    const signup = assembly.functionById('signup');
    const identity = localIdentityProvider({
      db: DynamoDBDocumentClient.from(dynamo.client),
      tableName: signup.environment[tableEnv('identity')] ?? '',
      issuer: signup.environment[ENV.TOKEN_ISSUER] ?? '',
    });
    await identity.ensureAccount({ ...admin, country: 'US', groups: ['admin'] });

    // The bus needs the state machine and the state machine's transcoder needs the bus.
    let bus: LocalEventBus | undefined;
    const workRoot = mkdtempSync(join(tmpdir(), 'showrunner-transcode-'));
    stops.push(async () => rmSync(workRoot, { recursive: true, force: true }));
    const integrations: ConstructorParameters<typeof LocalStateMachine>[2] = {
      lambda,
      dynamo: dynamo.client,
      putEvents: (entries) => {
        for (const entry of entries) {
          bus?.put({
            source: entry.Source,
            'detail-type': entry.DetailType,
            detail: JSON.parse(entry.Detail),
          });
        }
      },
      mediaConvertSync: async (request) =>
        (await transcodeLocally(request as unknown as MediaConvertRequest, s3, workRoot, (percent) =>
          bus?.put({
            source: 'aws.mediaconvert',
            'detail-type': 'MediaConvert Job State Change',
            detail: {
              status: 'STATUS_UPDATE',
              userMetadata: (request as unknown as MediaConvertRequest).UserMetadata ?? {},
              jobProgress: { jobPercentComplete: Math.round(percent) },
            },
          }),
        )) as never,
    };
    const stateMachines = new Map(
      assembly.stateMachines.map((m) => [m.arn, new LocalStateMachine(m.arn, m.definition, integrations)]),
    );
    const stateMachine = stateMachines.get(encodeDefinition.arn) as LocalStateMachine;
    const workflowsIdle = () => Promise.all([...stateMachines.values()].map((m) => m.idle()));
    stops.push(() => workflowsIdle());
    bus = new LocalEventBus(
      assembly.rules,
      async (targetArn, event) => {
        const machine = stateMachines.get(targetArn);
        if (machine) {
          machine.start(event);
          return;
        }
        await lambda.invoke(targetArn, event);
      },
      (error, targetArn) => log(`event target ${targetArn} failed: ${(error as Error).message}`),
    );
    s3emu.onObjectCreated((n) => {
      bus?.put({
        source: 'aws.s3',
        'detail-type': 'Object Created',
        resources: [`arn:aws:s3:::${n.bucket}`],
        detail: {
          version: '0',
          bucket: { name: n.bucket },
          object: { key: n.key, size: n.size, etag: n.etag, sequencer: n.sequencer },
          'request-id': n.sequencer,
          requester: '000000000000',
          reason: n.eventName.split(':')[1] ?? 'PutObject',
        },
      });
    });

    const authorizerArn = assembly.functionById('authorizer').arn;
    const gateway = await startGateway({
      port: gatewayPort,
      authorize: (event) => lambda.invoke(authorizerArn, event),
      invoke: async (route, event) => {
        try {
          return await lambda.invoke(assembly.functionById(route.function).arn, event);
        } catch (error) {
          if (error instanceof FunctionError)
            log(`${route.method} ${route.path}: ${error.payload.errorType}: ${error.payload.errorMessage}`);
          throw error;
        }
      },
    });
    stops.push(() => closeServer(gateway));

    // Last to start (a restart may find a backlog whose handlers call other services), first to stop.
    const streams = startStreams({
      mappings: assembly.streamMappings,
      dynamo: { client: dynamo.client, endpoint: dynamo.endpoint },
      credentials: LOCAL_CREDENTIALS,
      region: LOCAL_REGION,
      dataDir,
      invoke: (functionName, event) => lambda.invoke(functionName, event),
      functionError: (error) => (error instanceof FunctionError ? error.payload : undefined),
      ...options.streams,
      log,
    });
    stops.push(() => streams.stop());

    const info: PlatformInfo = {
      gatewayUrl,
      mediaBaseUrl,
      s3Endpoint: s3emu.endpoint,
      dynamoEndpoint: dynamo.endpoint,
      dataDir,
      ingestBucket,
      mediaBucket,
      jobsTable,
      adminEmail: admin.email,
      edges: pathways,
      edgeKvsFile,
    };
    writeFileSync(join(dataDir, 'platform.json'), `${JSON.stringify(info, null, 2)}\n`);
    return {
      info,
      assembly,
      lambda,
      stateMachine,
      stateMachines,
      streams,
      bus,
      edges,
      shield,
      edgeKeys,
      async runScheduled(functionId, time = new Date()) {
        const arn = assembly.functionById(functionId).arn;
        const rules = assembly.rules.filter((r) => r.schedule && r.targets.some((t) => t.arn === arn));
        if (rules.length === 0) throw new Error(`No scheduled rule targets ${functionId}.`);
        return Promise.all(rules.map((rule) => lambda.invoke(arn, scheduledEvent(rule, time))));
      },
      async runRule(ruleId, { time = new Date(), wait = true } = {}) {
        const rule = assembly.ruleById(ruleId);
        if (!rule.schedule) {
          throw new Error(
            `Rule ${ruleId} matches events, it has no schedule: put the event on platform.bus.`,
          );
        }
        const event = scheduledEvent(rule, time);
        return Promise.all(
          rule.targets.map(async (target): Promise<RuleTargetRun> => {
            const input = (target.input ?? event) as Json;
            const machine = stateMachines.get(target.arn);
            if (!machine)
              return {
                kind: 'function',
                targetArn: target.arn,
                result: await lambda.invoke(target.arn, input),
              };
            const started = machine.start(input);
            const completion = machine.completion(started.executionArn);
            return {
              kind: 'stateMachine',
              targetArn: target.arn,
              execution: wait ? await completion : started,
              completion,
            };
          }),
        );
      },
      streamsDrained: (drainOptions) => streams.drained(drainOptions),
      setFault: (functionId, fault) => lambda.setFault(functionId, fault),
      async idle() {
        const running = () =>
          [...stateMachines.values()].some((m) => m.executions.some((e) => e.status === 'RUNNING'));
        do {
          await workflowsIdle();
          await streams.drained();
        } while (running());
      },
      async stop() {
        rmSync(join(dataDir, 'platform.json'), { force: true });
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

interface MediaConvertRequest {
  Role?: string;
  Settings: Parameters<typeof runLocalTranscode>[0];
  UserMetadata?: Record<string, string>;
}

/**
 * `mediaconvert:createJob.sync`, locally: ffmpeg driven by the job settings; inputs read from
 * and outputs written to S3 (s3rver). A failed job fails the task the way MediaConvert's does.
 */
async function transcodeLocally(
  request: MediaConvertRequest,
  s3: S3Client,
  workRoot: string,
  onProgress: (percent: number) => void,
): Promise<never | Record<string, unknown>> {
  const jobId = `local-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const workDir = join(workRoot, jobId);
  mkdirSync(workDir, { recursive: true });
  let lastReported = -1;
  try {
    await runLocalTranscode(
      request.Settings,
      {
        async fetchInput(uri) {
          const { bucket, key } = parseS3Uri(uri);
          const target = join(workDir, 'in', key.split('/').pop() ?? 'input');
          mkdirSync(join(workDir, 'in'), { recursive: true });
          const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          await pipeline(object.Body as NodeJS.ReadableStream, createWriteStream(target));
          return target;
        },
        async storeOutput(uri, localPath, contentType) {
          const { bucket, key } = parseS3Uri(uri);
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: await readFile(localPath),
              ContentType: contentType,
            }),
          );
        },
      },
      {
        workDir,
        onProgress(percent) {
          // MediaConvert reports every few seconds; whole-percent steps keep the table writes few.
          if (percent - lastReported >= 5 || percent === 100) {
            lastReported = percent;
            onProgress(percent);
          }
        },
      },
    );
    return { Job: { Id: jobId, Status: 'COMPLETE', UserMetadata: request.UserMetadata ?? {} } };
  } catch (error) {
    throw new TaskError(
      'States.TaskFailed',
      JSON.stringify({ Job: { Id: jobId, Status: 'ERROR', ErrorMessage: (error as Error).message } }),
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The port itself when it is free, a free one for 0. A busy port is an error: DynamoDB Local
 * would fail to bind while another instance on that port answered its readiness check, and the
 * platform would then write into someone else's database.
 */
async function portOrFree(port: number): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} is in use by another program: stop it or choose another port (0 picks a free one).`,
            )
          : error,
      ),
    );
    probe.listen(port, '127.0.0.1', () => {
      const address = probe.address();
      const free = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => ok(free));
    });
  });
}

function addressPort(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.closeAllConnections?.();
    server.close(() => ok());
  });
}
