/**
 * Runs the state machine definition CDK synthesized with aws-local-stepfunctions. Every Task
 * state is bound by its Resource to a local implementation of that integration: Lambda ARNs to
 * the local Lambda runtime, `dynamodb:*` to DynamoDB Local with the same parameters, and
 * `mediaconvert:createJob.sync` to the local transcoder. Errors are named as Step Functions
 * names them (`DynamoDB.ConditionalCheckFailedException`, a Lambda's errorType), so the
 * definition's Retry and Catch behave as on AWS.
 *
 * A Distributed Map (`ItemProcessor.ProcessorConfig.Mode: DISTRIBUTED`) runs as an inline Map
 * locally: the same items, `ItemSelector`, `MaxConcurrency` and result array, in one execution
 * instead of child executions (aws-local-stepfunctions ignores `ProcessorConfig`, `Label` and
 * `ToleratedFailurePercentage`). Fields that would change what the items or the result are
 * (`ItemReader`, `ItemBatcher`, `ResultWriter`) are refused at start rather than ignored.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import type { LambdaRuntime } from './lambda/runtime.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type TaskHandler = (input: Json) => Promise<Json>;

export interface WorkflowIntegrations {
  lambda: LambdaRuntime;
  dynamo: DynamoDBClient;
  /** Runs a MediaConvert CreateJob request to completion; resolves with the job description. */
  mediaConvertSync: (request: Record<string, Json>) => Promise<Json>;
  /** EventBridge PutEvents: hands each entry to the local bus. */
  putEvents: (
    entries: { Source: string; DetailType: string; Detail: string; EventBusName?: string }[],
  ) => void;
}

export interface ExecutionRecord {
  executionArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  input: Json;
  output?: Json;
  error?: { name: string; message: string };
  startedAt: string;
  stoppedAt?: string;
}

/** An error as Step Functions reports it: `Error` is the name, `Cause` the message. */
class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export class LocalStateMachine {
  readonly arn: string;
  private readonly machine: StateMachine;
  private readonly overrides: Record<string, TaskHandler>;
  private readonly running = new Set<Promise<unknown>>();
  private readonly completions = new Map<string, Promise<ExecutionRecord>>();
  readonly executions: ExecutionRecord[] = [];

  constructor(arn: string, definition: Record<string, Json>, integrations: WorkflowIntegrations) {
    this.arn = arn;
    refuseUnsupportedMaps(definition);
    this.machine = new StateMachine(definition as never, {
      validationOptions: { checkPaths: true, checkArn: true },
    });
    this.overrides = {};
    for (const [stateName, state] of taskStates(definition)) {
      this.overrides[stateName] = bindTask(String(state.Resource), integrations);
    }
  }

  /** Starts an execution and returns at once, as StartExecution does. */
  start(input: Json): ExecutionRecord {
    const record: ExecutionRecord = {
      executionArn: `${this.arn.replace(':stateMachine:', ':execution:')}:${randomUUID()}`,
      status: 'RUNNING',
      input,
      startedAt: new Date().toISOString(),
    };
    this.executions.push(record);
    const execution = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.overrides as never },
      context: contextObject(record) as never,
    });
    const done = execution.result.then(
      (output: unknown) => {
        record.status = 'SUCCEEDED';
        record.output = output as Json;
      },
      (error: Error) => {
        record.status = 'FAILED';
        // As Step Functions reports a failed execution: the state's error and cause, not the runner's wrapper.
        const failure = error.name === 'ExecutionError' && error.cause instanceof Error ? error.cause : error;
        record.error = { name: failure.name, message: failure.message };
      },
    );
    const tracked = done.finally(() => {
      record.stoppedAt = new Date().toISOString();
      this.running.delete(tracked);
    });
    this.running.add(tracked);
    this.completions.set(
      record.executionArn,
      tracked.then(() => record),
    );
    return record;
  }

  /** Resolves with the execution's record once it has stopped (SUCCEEDED or FAILED). */
  completion(executionArn: string): Promise<ExecutionRecord> {
    const completion = this.completions.get(executionArn);
    if (!completion) return Promise.reject(new Error(`No execution ${executionArn} of ${this.arn}.`));
    return completion;
  }

  /** Resolves when no execution is running (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** The Context Object; `State.EnteredTime` is read when a state reads it. */
function contextObject(record: ExecutionRecord): Record<string, unknown> {
  return {
    Execution: {
      Id: record.executionArn,
      Input: record.input,
      StartTime: record.startedAt,
      Name: record.executionArn.split(':').pop(),
    },
    State: {
      get EnteredTime() {
        return new Date().toISOString();
      },
    },
    StateMachine: { Id: record.executionArn },
  };
}

/** Map fields whose meaning aws-local-stepfunctions does not implement, and what they change. */
const UNSUPPORTED_MAP_FIELDS = {
  ItemReader: 'reads the items from S3',
  ItemBatcher: 'hands each iteration a batch of items',
  ResultWriter: 'writes the results to S3 instead of returning them',
} as const;

function refuseUnsupportedMaps(definition: Record<string, Json>): void {
  const states = (definition.States ?? {}) as Record<string, Record<string, Json>>;
  for (const [name, state] of Object.entries(states)) {
    for (const [field, what] of Object.entries(UNSUPPORTED_MAP_FIELDS)) {
      if (state.Type === 'Map' && state[field] !== undefined) {
        throw new Error(
          `Map state ${name} uses ${field} (it ${what}), which the local state machine runner does not implement.`,
        );
      }
    }
    for (const branch of (state.Branches ?? []) as Record<string, Json>[]) refuseUnsupportedMaps(branch);
    const iterator = (state.ItemProcessor ?? state.Iterator) as Record<string, Json> | undefined;
    if (iterator) refuseUnsupportedMaps(iterator);
  }
}

function* taskStates(definition: Record<string, Json>): Generator<[string, Record<string, Json>]> {
  const states = (definition.States ?? {}) as Record<string, Record<string, Json>>;
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') yield [name, state];
    for (const branch of (state.Branches ?? []) as Record<string, Json>[]) yield* taskStates(branch);
    const iterator = (state.ItemProcessor ?? state.Iterator) as Record<string, Json> | undefined;
    if (iterator) yield* taskStates(iterator);
  }
}

function bindTask(resource: string, integrations: WorkflowIntegrations): TaskHandler {
  if (resource.startsWith('arn:aws:lambda:')) {
    return async (input) => (await integrations.lambda.invoke(resource, input)) as Json;
  }
  switch (resource) {
    case 'arn:aws:states:::lambda:invoke':
      return async (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: Json };
        const result = (await integrations.lambda.invoke(FunctionName, Payload)) as Json;
        return { Payload: result, StatusCode: 200, ExecutedVersion: '$LATEST' };
      };
    case 'arn:aws:states:::dynamodb:updateItem':
      return dynamoTask((p) => integrations.dynamo.send(new UpdateItemCommand(p as never)));
    case 'arn:aws:states:::dynamodb:putItem':
      return dynamoTask((p) => integrations.dynamo.send(new PutItemCommand(p as never)));
    case 'arn:aws:states:::dynamodb:getItem':
      return dynamoTask((p) => integrations.dynamo.send(new GetItemCommand(p as never)));
    case 'arn:aws:states:::dynamodb:deleteItem':
      return dynamoTask((p) => integrations.dynamo.send(new DeleteItemCommand(p as never)));
    case 'arn:aws:states:::events:putEvents':
      return async (input) => {
        const { Entries } = input as { Entries: { Source: string; DetailType: string; Detail: Json }[] };
        integrations.putEvents(
          Entries.map((e) => ({
            ...e,
            Detail: typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail),
          })),
        );
        return {
          Entries: Entries.map((_, i) => ({ EventId: `local-${Date.now()}-${i}` })),
          FailedEntryCount: 0,
        };
      };
    case 'arn:aws:states:::mediaconvert:createJob.sync':
      return async (input) => integrations.mediaConvertSync(input as Record<string, Json>);
    default:
      throw new Error(`The local platform has no stand-in for the integration ${resource}`);
  }
}

function dynamoTask(send: (params: Json) => Promise<unknown>): TaskHandler {
  return async (input) => {
    try {
      const { $metadata: _, ...output } = (await send(input)) as Record<string, Json> & {
        $metadata: unknown;
      };
      return output as Json;
    } catch (error) {
      const err = error as Error;
      throw new TaskError(`DynamoDB.${err.name}`, err.message);
    }
  };
}

export { TaskError };
