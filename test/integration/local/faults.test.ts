/**
 * Fault injection in the local Lambda runtime: an `error` fault fails invocations as a function
 * error (what Lambda's Invoke reports as `X-Amz-Function-Error: Unhandled`), a `latency` fault
 * delays them inside the function's timeout; faults come from `SHOWRUNNER_FAULTS` or the
 * platform's options and can be switched on and off while running.
 */
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionId } from '../../../lambdas/contracts/functions.ts';
import type { LocalFunction } from '../../../local/assembly.ts';
import { startInvokeApi } from '../../../local/lambda/invoke-api.ts';
import {
  FunctionError,
  INJECTED_FAULT_ERROR,
  LambdaRuntime,
  parseFaults,
} from '../../../local/lambda/runtime.ts';
import { freePort } from '../../support/dynamo.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function echoFunction(functionId: string, timeoutSec = 10): LocalFunction {
  return {
    logicalId: functionId,
    name: `echo-${functionId}`,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:echo-${functionId}`,
    functionId: functionId as FunctionId,
    entry: 'test/integration/local/fixtures/echo-handler.ts',
    handler: 'handler',
    timeoutSec,
    environment: {},
  };
}

describe('SHOWRUNNER_FAULTS', () => {
  it('reads errors and latencies per function id, separated by semicolons', () => {
    expect(parseFaults('recommendationsInternal=error;historyInternal=latency:3000')).toEqual({
      recommendationsInternal: { kind: 'error' },
      historyInternal: { kind: 'latency', ms: 3000 },
    });
  });

  it('is no fault at all when unset or empty', () => {
    expect(parseFaults(undefined)).toEqual({});
    expect(parseFaults(' ; ')).toEqual({});
  });

  it('refuses a part it cannot read, naming it, rather than injecting nothing', () => {
    expect(() => parseFaults('getHome=slow')).toThrow('SHOWRUNNER_FAULTS: "getHome=slow" is not');
    expect(() => parseFaults('getHome=latency:')).toThrow('"getHome=latency:"');
    expect(() => parseFaults('=error')).toThrow('"=error"');
  });
});

describe('faults in the local Lambda runtime', () => {
  let lambda: LambdaRuntime;
  let invokeApi: Server;
  let client: LambdaClient;

  beforeAll(async () => {
    lambda = new LambdaRuntime({
      functions: [
        echoFunction('steady'),
        echoFunction('flaky'),
        echoFunction('slow'),
        echoFunction('tight', 1),
      ],
      repoRoot: REPO_ROOT,
      baseEnv: { PATH: process.env.PATH ?? '' },
      faults: parseFaults('flaky=error'),
    });
    const port = await freePort();
    invokeApi = await startInvokeApi({ port, lambda });
    client = new LambdaClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    client?.destroy();
    await new Promise((r) => invokeApi?.close(r));
    await lambda?.close();
  });

  it('injects nothing by default', async () => {
    expect(lambda.faultOf('steady')).toBeUndefined();
    await expect(lambda.invoke('echo-steady', { n: 1 })).resolves.toMatchObject({ echo: { n: 1 } });
  });

  it('fails every invocation of a function with an error fault as a function error, before its handler runs', async () => {
    const failure = await lambda.invoke('echo-flaky', {}).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(FunctionError);
    expect((failure as FunctionError).functionError).toBe('Unhandled');
    expect((failure as FunctionError).payload).toEqual({
      errorType: INJECTED_FAULT_ERROR,
      errorMessage: 'Fault injected into flaky (SHOWRUNNER_FAULTS or platform.setFault)',
    });
  });

  it('reports an injected error through the Invoke API as Lambda does: FunctionError Unhandled', async () => {
    const response = await client.send(
      new InvokeCommand({ FunctionName: 'echo-flaky', Payload: new TextEncoder().encode('{}') }),
    );

    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(response.Payload))).toMatchObject({
      errorType: INJECTED_FAULT_ERROR,
    });
  });

  it('lets a test switch a fault off and on again while running', async () => {
    lambda.setFault('flaky', undefined);
    const healed = (await lambda.invoke('echo-flaky', { n: 2 })) as { echo: unknown; calls: number };
    lambda.setFault('flaky', { kind: 'error' });

    expect(healed.echo).toEqual({ n: 2 });
    // The handler ran once: the invocations under the fault never reached it.
    expect(healed.calls).toBe(1);
    await expect(lambda.invoke('echo-flaky', {})).rejects.toBeInstanceOf(FunctionError);
  });

  it('delays each invocation of a function with a latency fault by that long', async () => {
    await lambda.invoke('echo-slow', {});
    lambda.setFault('slow', { kind: 'latency', ms: 400 });
    const started = performance.now();
    await lambda.invoke('echo-slow', {});
    const delayed = performance.now() - started;
    lambda.setFault('slow', undefined);
    const again = performance.now();
    await lambda.invoke('echo-slow', {});
    const undelayed = performance.now() - again;

    expect(delayed).toBeGreaterThanOrEqual(400);
    expect(undelayed).toBeLessThan(300);
  });

  it('counts the latency towards the timeout: longer than it, the invocation times out as Lambda would', async () => {
    lambda.setFault('tight', { kind: 'latency', ms: 1500 });
    const failure = await lambda.invoke('echo-tight', {}).catch((error: unknown) => error);
    lambda.setFault('tight', undefined);

    expect((failure as FunctionError).payload.errorType).toBe('Sandbox.Timedout');
    await expect(lambda.invoke('echo-tight', { n: 3 })).resolves.toMatchObject({ echo: { n: 3 } });
  });

  it('refuses a latency that is not a whole number of milliseconds', () => {
    expect(() => lambda.setFault('slow', { kind: 'latency', ms: -1 })).toThrow(
      'whole number of milliseconds',
    );
  });
});
