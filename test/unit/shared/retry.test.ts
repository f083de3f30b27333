/** The adapters' one retry policy: what it retries, how often, how long it waits, what surfaces. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type RetryPolicy, withRetry } from '#shared/retry.ts';

class Collision extends Error {
  override readonly name = 'Collision';
}

const retryCollisions = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxAttempts: 4,
  baseDelayMs: 0,
  retryable: (error) => error instanceof Collision,
  ...overrides,
});

/** An operation failing with `failures` in turn, then answering `'done'`; it counts its tries. */
function flaky(...failures: Error[]) {
  const tries: number[] = [];
  const operation = async (attempt: number) => {
    tries.push(attempt);
    const failure = failures.shift();
    if (failure) throw failure;
    return 'done';
  };
  return { operation, tries };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('withRetry', () => {
  it('tries again after a retryable failure and answers what the operation answers', async () => {
    const { operation, tries } = flaky(new Collision(), new Collision());

    const answer = await withRetry(operation, retryCollisions());

    expect(answer).toBe('done');
    expect(tries).toEqual([1, 2, 3]);
  });

  it('gives up after maxAttempts tries with the last failure, unchanged', async () => {
    const failures = [new Collision('1st'), new Collision('2nd'), new Collision('3rd')];
    const { operation, tries } = flaky(...failures);

    const run = withRetry(operation, retryCollisions({ maxAttempts: 3 }));

    await expect(run).rejects.toBe(failures[2]);
    expect(tries).toEqual([1, 2, 3]);
  });

  it('lets any other failure through at once', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    const { operation, tries } = flaky(denied);

    await expect(withRetry(operation, retryCollisions())).rejects.toBe(denied);
    expect(tries).toEqual([1]);
  });

  it('tries once with maxAttempts 1, and refuses fewer', async () => {
    const once = flaky(new Collision());

    await expect(withRetry(once.operation, retryCollisions({ maxAttempts: 1 }))).rejects.toBeInstanceOf(
      Collision,
    );
    await expect(withRetry(flaky().operation, retryCollisions({ maxAttempts: 0 }))).rejects.toBeInstanceOf(
      RangeError,
    );
    expect(once.tries).toEqual([1]);
  });

  it('waits base × 2^(n-1) before retry n, times a jitter between 1 and 2, up to maxDelayMs', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { operation, tries } = flaky(new Collision(), new Collision(), new Collision());

    const run = withRetry(operation, retryCollisions({ baseDelayMs: 100, maxDelayMs: 250 }));
    // 150 ms (100 × 1.5), then 300 ms (200 × 1.5) capped at 250, then 250.
    await vi.advanceTimersByTimeAsync(149);
    const beforeFirstWait = tries.length;
    await vi.advanceTimersByTimeAsync(1);
    const afterFirstWait = tries.length;
    await vi.advanceTimersByTimeAsync(249);
    const beforeSecondWait = tries.length;
    await vi.advanceTimersByTimeAsync(1 + 250);

    expect(await run).toBe('done');
    expect([beforeFirstWait, afterFirstWait, beforeSecondWait, tries.length]).toEqual([1, 2, 2, 4]);
  });
});
