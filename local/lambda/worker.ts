/**
 * One Lambda execution environment: a worker thread with its own `process.env` and module
 * scope. It imports the handler once (cold start), then serves invocations one at a time.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { installStandIns, type StandInConfig } from './stand-ins.ts';

interface Init {
  standIns: StandInConfig;
  entryPath: string;
  handlerName: string;
  functionName: string;
  timeoutSec: number;
}
interface Invocation {
  id: number;
  event: unknown;
  clientContext?: unknown;
}

const init = workerData as Init;
// Before the handler loads: its adapters look for their stand-ins at module load.
installStandIns(init.standIns);
const module = (await import(pathToFileURL(init.entryPath).href)) as Record<string, unknown>;
const handler = module[init.handlerName];
if (typeof handler !== 'function') {
  throw new Error(`${init.entryPath} exports no function "${init.handlerName}"`);
}

parentPort?.on('message', async ({ id, event, clientContext }: Invocation) => {
  const started = Date.now();
  const context = {
    awsRequestId: randomUUID(),
    functionName: init.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${init.functionName}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${init.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    clientContext,
    getRemainingTimeInMillis: () => Math.max(0, init.timeoutSec * 1000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await (handler as (e: unknown, c: unknown) => Promise<unknown>)(event, context);
    parentPort?.postMessage({ id, ok: true, result: result === undefined ? null : result });
  } catch (error) {
    // Exactly what the Node.js Lambda runtime reports, no more (no `code`): local must fail as AWS does.
    const err = error as Error;
    parentPort?.postMessage({
      id,
      ok: false,
      error: {
        errorType: err?.name ?? 'Error',
        errorMessage: err?.message ?? String(error),
        trace: (err?.stack ?? '').split('\n'),
      },
    });
  }
});
parentPort?.postMessage({ ready: true });
