/**
 * Runs the app's Lambda functions locally, each in its own worker thread (own env, own module
 * scope), invoked with real event shapes. A function error surfaces as Lambda reports it:
 * an error named after `errorType` whose message is the JSON `{ errorType, errorMessage, trace }`,
 * which is what Step Functions puts in a Catch's `Cause`.
 *
 * Faults can be injected per function for tests (the seed of a chaos layer): an `error` fails
 * every invocation as a function error, `latency:N` delays each by N ms inside its timeout.
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalFunction } from '../assembly.ts';
import type { StandInConfig } from './stand-ins.ts';

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  code?: string;
  trace?: string[];
}

/** A function error, shaped like Lambda's for callers that catch it. */
export class FunctionError extends Error {
  /** What Lambda's Invoke answers in `X-Amz-Function-Error` for an error the runtime reported. */
  readonly functionError = 'Unhandled';
  readonly payload: LambdaError;
  constructor(payload: LambdaError) {
    super(JSON.stringify(payload));
    this.name = payload.errorType;
    this.payload = payload;
  }
}

/**
 * A fault injected into every invocation of one function: `error` fails it as a function error
 * (before the handler runs, as a crashing function would), `latency` delays it by `ms`, which
 * counts towards the function's timeout as slowness inside the function would.
 */
export type Fault = { readonly kind: 'error' } | { readonly kind: 'latency'; readonly ms: number };

/** `errorType` of an injected error: tests can tell it from a real one. */
export const INJECTED_FAULT_ERROR = 'Showrunner.InjectedFault';

/**
 * Reads faults as `SHOWRUNNER_FAULTS` spells them: `<functionId>=error` or
 * `<functionId>=latency:<ms>`, separated by `;` (e.g. `recommendationsInternal=error;historyInternal=latency:3000`).
 * Anything else is an error naming the part, never silently no fault.
 */
export function parseFaults(text: string | undefined): Record<string, Fault> {
  const faults: Record<string, Fault> = {};
  for (const part of (text ?? '').split(';').map((p) => p.trim())) {
    if (part === '') continue;
    const match = /^([A-Za-z][\w-]*)=(error|latency:(\d+))$/.exec(part);
    if (!match?.[1]) {
      throw new Error(
        `SHOWRUNNER_FAULTS: "${part}" is not <functionId>=error or <functionId>=latency:<ms> (parts separated by ;).`,
      );
    }
    faults[match[1]] = match[3] === undefined ? { kind: 'error' } : { kind: 'latency', ms: Number(match[3]) };
  }
  return faults;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

class Environment {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly pending = new Map<number, Pending>();
  busy = false;
  dead = false;

  constructor(fn: LocalFunction, repoRoot: string, baseEnv: Record<string, string>, standIns: StandInConfig) {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), {
      workerData: {
        standIns,
        entryPath: resolve(repoRoot, fn.entry),
        handlerName: fn.handler,
        functionName: fn.name,
        timeoutSec: fn.timeoutSec,
      },
      env: { ...baseEnv, ...fn.environment, AWS_LAMBDA_FUNCTION_NAME: fn.name },
    });
    this.ready = new Promise((ok, fail) => {
      this.worker.once('message', () => ok());
      this.worker.once('error', fail);
    });
    this.worker.on(
      'message',
      (message: { id?: number; ok?: boolean; result?: unknown; error?: LambdaError }) => {
        if (message.id === undefined) return;
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        clearTimeout(waiting.timer);
        if (message.ok) waiting.resolve(message.result);
        else waiting.reject(new FunctionError(message.error as LambdaError));
      },
    );
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => {
      this.dead = true;
      this.failAll(new Error(`${fn.name} exited`));
    });
  }

  failAll(error: Error): void {
    this.dead = true;
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new FunctionError({ errorType: 'Runtime.ExitError', errorMessage: error.message }));
      this.pending.delete(id);
    }
  }
}

export interface LambdaRuntimeOptions {
  functions: readonly LocalFunction[];
  repoRoot: string;
  /** Environment every function gets before its own (endpoints, credentials, region). */
  baseEnv: Record<string, string>;
  /** What the platform stands in for AWS services in a function's worker. @default none */
  standIns?: (fn: LocalFunction) => StandInConfig;
  /** Execution environments per function at most. @default 4 */
  maxConcurrency?: number;
  /** Faults injected per function id (`setFault` changes them at run time). @default none */
  faults?: Readonly<Record<string, Fault>>;
}

export class LambdaRuntime {
  private readonly byArn = new Map<string, LocalFunction>();
  private readonly environments = new Map<string, Environment[]>();
  private readonly queues = new Map<string, (() => void)[]>();
  private nextId = 1;
  private readonly options: LambdaRuntimeOptions;
  private readonly faults = new Map<string, Fault>();

  constructor(options: LambdaRuntimeOptions) {
    this.options = options;
    for (const [functionId, fault] of Object.entries(options.faults ?? {})) this.setFault(functionId, fault);
    for (const fn of options.functions) {
      this.byArn.set(fn.arn, fn);
      this.byArn.set(fn.name, fn);
    }
  }

  /** The function behind an ARN or name (with or without a version/alias suffix). */
  find(arnOrName: string): LocalFunction | undefined {
    return this.byArn.get(arnOrName) ?? this.byArn.get(arnOrName.replace(/:(\$LATEST|[\w-]+)$/, ''));
  }

  /** Injects `fault` into every invocation of the function with this id from now on; `undefined` clears it. */
  setFault(functionId: string, fault: Fault | undefined): void {
    if (fault === undefined) this.faults.delete(functionId);
    else if (fault.kind === 'latency' && !(Number.isInteger(fault.ms) && fault.ms >= 0))
      throw new Error(`A latency fault needs a whole number of milliseconds, got ${fault.ms}.`);
    else this.faults.set(functionId, fault);
  }

  /** The fault injected into the function with this id, if any. */
  faultOf(functionId: string): Fault | undefined {
    return this.faults.get(functionId);
  }

  /** `clientContext`: what the caller passed as the Lambda `ClientContext` (the function's `context.clientContext`). */
  async invoke(
    arnOrName: string,
    event: unknown,
    options: { clientContext?: unknown } = {},
  ): Promise<unknown> {
    const fn = this.find(arnOrName);
    if (!fn)
      throw new FunctionError({
        errorType: 'ResourceNotFoundException',
        errorMessage: `No function ${arnOrName}`,
      });
    const fault = this.faults.get(fn.functionId);
    if (fault?.kind === 'error') {
      throw new FunctionError({
        errorType: INJECTED_FAULT_ERROR,
        errorMessage: `Fault injected into ${fn.functionId} (SHOWRUNNER_FAULTS or platform.setFault)`,
      });
    }
    const env = await this.acquire(fn);
    try {
      await env.ready.catch((error: Error) => {
        // What Lambda reports when a module fails at load (missing env, syntax error).
        throw new FunctionError({ errorType: 'Runtime.ImportModuleError', errorMessage: error.message });
      });
      return await new Promise((ok, fail) => {
        const id = this.nextId++;
        const timer = setTimeout(() => {
          env.pending.delete(id);
          // Not reused while it terminates: the next invocation gets a fresh environment.
          env.dead = true;
          fail(
            new FunctionError({
              errorType: 'Sandbox.Timedout',
              errorMessage: `Task timed out after ${fn.timeoutSec} seconds`,
            }),
          );
          void env.worker.terminate();
        }, fn.timeoutSec * 1000);
        env.pending.set(id, { resolve: ok, reject: fail, timer });
        const message = { id, event: structuredClone(event), clientContext: options.clientContext };
        const send = () => {
          // Timed out during an injected latency: the environment is gone already.
          if (env.pending.has(id)) env.worker.postMessage(message);
        };
        if (fault?.kind === 'latency') setTimeout(send, fault.ms);
        else send();
      });
    } finally {
      this.release(fn, env);
    }
  }

  private async acquire(fn: LocalFunction): Promise<Environment> {
    const pool = (this.environments.get(fn.name) ?? []).filter((e) => !e.dead);
    this.environments.set(fn.name, pool);
    const idle = pool.find((e) => !e.busy);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (pool.length < (this.options.maxConcurrency ?? 4)) {
      const created = new Environment(
        fn,
        this.options.repoRoot,
        this.options.baseEnv,
        this.options.standIns?.(fn) ?? {},
      );
      created.busy = true;
      pool.push(created);
      return created;
    }
    await new Promise<void>((wake) => {
      const queue = this.queues.get(fn.name) ?? [];
      queue.push(wake);
      this.queues.set(fn.name, queue);
    });
    return this.acquire(fn);
  }

  private release(fn: LocalFunction, env: Environment): void {
    env.busy = false;
    this.queues.get(fn.name)?.shift()?.();
  }

  async close(): Promise<void> {
    const all = [...this.environments.values()].flat();
    this.environments.clear();
    await Promise.all(all.map((e) => e.worker.terminate()));
  }
}
