/**
 * The chain of functions no route names (internal calls, pipeline steps, schedules): the declared
 * event schema, failures logged with their code and rethrown, the correlation id a caller passed.
 */
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PipelineError } from '#shared/errors.ts';
import { functionHandler, InvalidEventError } from '#shared/function-handler.ts';
import { logger } from '#shared/logger.ts';
import { jsonLinesOf } from '../../support/logs.ts';

const context = (clientContext?: unknown): Context =>
  ({ awsRequestId: 'lambda-request-1', functionName: 'test', clientContext }) as Context;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('functionHandler', () => {
  it('gives the implementation the event as its declared schema parsed it', async () => {
    const seen: unknown[] = [];
    const handler = functionHandler('profilesInternal', async (request) => {
      seen.push(request);
      return { profile: null };
    });

    await handler({ op: 'getProfile', accountId: 'a1', profileId: 'p1' }, context());

    expect(seen).toEqual([{ op: 'getProfile', accountId: 'a1', profileId: 'p1' }]);
  });

  it('fails an event its schema refuses with InvalidEventError naming the field, without running', async () => {
    const run = vi.fn(async () => ({ profile: null }));
    const handler = functionHandler('profilesInternal', run);

    const failure = handler({ op: 'getProfile', accountId: 'a1', profileId: 'a/b' }, context());

    await expect(failure).rejects.toBeInstanceOf(InvalidEventError);
    await expect(failure).rejects.toThrow('profilesInternal: profileId: not an id');
    expect(run).not.toHaveBeenCalled();
  });

  it('logs a failure once with its code and rethrows it as it was (Step Functions catches by name)', async () => {
    const handler = functionHandler('verifyOutputs', async () => {
      throw new PipelineError('OUTPUT_INVALID', 'a rendition is 2 s short');
    });
    let thrown: unknown;

    const logs = await jsonLinesOf(async () => {
      thrown = await handler({}, context()).catch((error: unknown) => error);
    });

    expect(thrown).toMatchObject({
      name: 'PipelineError',
      message: '[OUTPUT_INVALID] a rendition is 2 s short',
    });
    const failures = logs.filter((l) => l.message === 'invocation failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 'ERROR', code: 'OUTPUT_INVALID' });
  });

  it('logs under the correlation id the calling function passed in the client context', async () => {
    const handler = functionHandler('historyInternal', async () => {
      logger.info('inside');
      return { positionSec: 0 };
    });

    const logs = await jsonLinesOf(() =>
      handler(
        { op: 'resumePosition', accountId: 'a1', profileId: 'p1', titleId: 't1' },
        context({ custom: { correlationId: 'api-request-9' } }),
      ),
    );

    expect(logs.find((l) => l.message === 'inside')).toMatchObject({ correlation_id: 'api-request-9' });
  });

  it('logs an EventBridge event under its event id', async () => {
    const handler = functionHandler('recordProgress', async () => {
      logger.info('inside');
      return { updated: false };
    });

    const logs = await jsonLinesOf(() =>
      handler({ id: 'evt-42', 'detail-type': 'MediaConvert Job State Change', detail: {} }, context()),
    );

    expect(logs.find((l) => l.message === 'inside')).toMatchObject({ correlation_id: 'evt-42' });
  });
});
