import { describe, expect, it } from 'vitest';
import {
  cachingEdgeHealth,
  EDGE_HEALTH_CACHE_MS,
  pathwayPriority,
  STEERING_TTL_SEC,
  steeringManifest,
} from '../../../lambdas/playback/domain/steering.ts';
import { FakeEdgeHealth, PATHWAYS } from './fakes.ts';

const THREE = [...PATHWAYS, { id: 'edge-c', baseUrl: 'https://c.edge.test' }];

describe('pathway priority', () => {
  it('keeps the configured order when every edge is healthy', () => {
    const health = new Map(THREE.map((p) => [p.id, true]));

    expect(pathwayPriority(THREE, health)).toEqual(['edge-a', 'edge-b', 'edge-c']);
  });

  it('moves an unhealthy edge last, the others keeping their order', () => {
    const health = new Map([
      ['edge-a', false],
      ['edge-b', true],
      ['edge-c', true],
    ]);

    expect(pathwayPriority(THREE, health)).toEqual(['edge-b', 'edge-c', 'edge-a']);
  });

  it('treats an edge with no answer as unhealthy', () => {
    expect(pathwayPriority(THREE, new Map([['edge-c', true]]))).toEqual(['edge-c', 'edge-a', 'edge-b']);
  });
});

describe('the steering manifest', () => {
  it('is version 1 with a 10 s TTL, the reload URI and the priority', () => {
    const manifest = steeringManifest(
      PATHWAYS,
      new Map([['edge-b', true]]),
      'https://api.test/v1/steering/s?token=t',
    );

    expect(manifest).toEqual({
      VERSION: 1,
      TTL: STEERING_TTL_SEC,
      'RELOAD-URI': 'https://api.test/v1/steering/s?token=t',
      'PATHWAY-PRIORITY': ['edge-b', 'edge-a'],
    });
    expect(STEERING_TTL_SEC).toBe(10);
  });
});

describe('cached edge health', () => {
  it('asks each edge once within the cache window, then again after it', async () => {
    const inner = new FakeEdgeHealth();
    let now = 1_000;
    const health = cachingEdgeHealth(inner, { now: () => now });

    await health.healthOf(PATHWAYS);
    now += EDGE_HEALTH_CACHE_MS - 1;
    await health.healthOf(PATHWAYS);
    now += 1;
    await health.healthOf(PATHWAYS);

    expect(inner.calls).toEqual([
      ['edge-a', 'edge-b'],
      ['edge-a', 'edge-b'],
    ]);
  });

  it('shares one check among concurrent requests', async () => {
    const inner = new FakeEdgeHealth();
    const health = cachingEdgeHealth(inner, { now: () => 0 });

    const answers = await Promise.all([health.healthOf(PATHWAYS), health.healthOf(PATHWAYS)]);

    expect(inner.calls).toHaveLength(1);
    expect(answers.map((a) => [...a])).toEqual([
      [
        ['edge-a', true],
        ['edge-b', true],
      ],
      [
        ['edge-a', true],
        ['edge-b', true],
      ],
    ]);
  });

  it('reports an edge whose check failed as unhealthy', async () => {
    const health = cachingEdgeHealth(
      { healthOf: () => Promise.reject(new Error('network down')) },
      { now: () => 0 },
    );

    expect([...(await health.healthOf(PATHWAYS))]).toEqual([
      ['edge-a', false],
      ['edge-b', false],
    ]);
  });

  it('sees an edge recover once the window has passed', async () => {
    const inner = new FakeEdgeHealth();
    inner.healthy = new Set(['edge-b']);
    let now = 0;
    const health = cachingEdgeHealth(inner, { now: () => now });
    const before = await health.healthOf(PATHWAYS);

    inner.healthy = new Set(['edge-a', 'edge-b']);
    now += EDGE_HEALTH_CACHE_MS;
    const after = await health.healthOf(PATHWAYS);

    expect(before.get('edge-a')).toBe(false);
    expect(after.get('edge-a')).toBe(true);
  });
});
