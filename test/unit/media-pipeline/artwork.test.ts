/**
 * The poster-candidate heuristic on synthetic frames whose properties are known by construction:
 * black, uniform, blurred and sharp scenes, a subject on a third, in the centre, at the border.
 */
import { describe, expect, it } from 'vitest';
import {
  artworkKey,
  artworkPrefix,
  BLACK_MEAN_LUMA,
  choosePosterCandidates,
  type LumaFrame,
  lumaFromRgb,
  MAX_POSTER_CANDIDATES,
  type MeasuredFrame,
  MIN_SHARPNESS,
  measureFrame,
  signatureDistance,
  UNIFORM_LUMA_STD_DEV,
} from '#media-pipeline/domain/artwork.ts';

const W = 160;
const H = 90;

/** Deterministic pseudo-random numbers in [0, 1) (a small LCG), so frames are reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function frameOf(pixel: (x: number, y: number) => number): LumaFrame {
  const luma = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) luma[y * W + x] = Math.max(0, Math.min(255, Math.round(pixel(x, y))));
  }
  return { width: W, height: H, luma };
}

const flat = (value: number) => frameOf(() => value);

/**
 * A busy scene: a coarse 4×4 layout of light and dark blocks that depends on `seed` (so two seeds
 * never look alike) under fine detail everywhere.
 */
function scene(seed: number): LumaFrame {
  const layout = random(seed * 7919);
  const blocks = Array.from({ length: 16 }, () => 50 + layout() * 150);
  const detail = random(seed);
  return frameOf((x, y) => {
    const block = blocks[Math.floor((y * 4) / H) * 4 + Math.floor((x * 4) / W)] as number;
    return block + (detail() - 0.5) * 70;
  });
}

/** A box blur applied `passes` times: what defocus or motion blur does to detail. */
function blurred(frame: LumaFrame, radius: number, passes = 3): LumaFrame {
  let current = frame.luma;
  for (let pass = 0; pass < passes; pass++) {
    const out = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let sum = 0;
        let count = 0;
        for (let j = -radius; j <= radius; j++) {
          for (let i = -radius; i <= radius; i++) {
            const xx = Math.min(W - 1, Math.max(0, x + i));
            const yy = Math.min(H - 1, Math.max(0, y + j));
            sum += current[yy * W + xx] as number;
            count += 1;
          }
        }
        out[y * W + x] = Math.round(sum / count);
      }
    }
    current = out;
  }
  return { width: W, height: H, luma: current };
}

/**
 * A smooth backdrop (a gentle vertical gradient: contrast, but no detail) with a small, highly
 * detailed subject (a fine checkerboard) centred at (`cx`, `cy`), in shares of the frame.
 */
function subjectAt(cx: number, cy: number): LumaFrame {
  const half = W / 12;
  return frameOf((x, y) => {
    const inside = Math.abs(x - cx * W) <= half && Math.abs(y - cy * H) <= half;
    if (inside) return (Math.floor(x / 2) + Math.floor(y / 2)) % 2 === 0 ? 20 : 235;
    return 70 + (100 * y) / H;
  });
}

function measured(frames: readonly LumaFrame[], intervalSec = 10): MeasuredFrame[] {
  return frames.map((frame, index) => ({ index, atSec: index * intervalSec, measures: measureFrame(frame) }));
}

function verdicts(frames: readonly MeasuredFrame[], durationSec: number) {
  return choosePosterCandidates(frames, { durationSec }).judged.map((j) => j.verdict);
}

describe('measureFrame', () => {
  it('measures a black frame as dark and flat', () => {
    const m = measureFrame(flat(0));

    expect(m.meanLuma).toBe(0);
    expect(m.lumaStdDev).toBe(0);
    expect(m.sharpness).toBe(0);
    expect(m.composition).toBe(0);
  });

  it('measures a sharp scene as far sharper than the same scene blurred', () => {
    const sharp = measureFrame(scene(1));
    const soft = measureFrame(blurred(scene(1), 2));

    expect(sharp.sharpness).toBeGreaterThan(MIN_SHARPNESS * 10);
    expect(soft.sharpness).toBeLessThan(sharp.sharpness / 10);
    // Blur keeps the exposure: it is the detail that goes.
    expect(soft.meanLuma).toBeCloseTo(sharp.meanLuma, -1);
  });

  it('scores evenly spread detail at 0.5 composition', () => {
    expect(measureFrame(scene(3)).composition).toBeCloseTo(0.5, 1);
  });

  it('rewards a subject on a third over one in the centre or against the border', () => {
    const third = measureFrame(subjectAt(1 / 3, 1 / 3)).composition;
    const otherThird = measureFrame(subjectAt(2 / 3, 2 / 3)).composition;
    const centre = measureFrame(subjectAt(1 / 2, 1 / 2)).composition;
    const border = measureFrame(subjectAt(0.06, 0.1)).composition;

    expect(third).toBeGreaterThan(0.6);
    expect(otherThird).toBeCloseTo(third, 2);
    expect(third).toBeGreaterThan(centre);
    expect(border).toBeLessThan(0.2);
  });

  it('gives identical frames identical signatures, and different scenes distant ones', () => {
    expect(signatureDistance(measureFrame(scene(5)), measureFrame(scene(5)))).toBe(0);
    expect(signatureDistance(measureFrame(scene(5)), measureFrame(scene(6)))).toBeGreaterThan(12);
  });

  it('refuses a luma plane shorter than its dimensions', () => {
    expect(() => measureFrame({ width: 4, height: 4, luma: new Uint8Array(15) })).toThrow(RangeError);
  });
});

describe('lumaFromRgb', () => {
  it('weighs red, green and blue as BT.601 does', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);

    expect([...lumaFromRgb(4, 1, rgba, 4).luma]).toEqual([76, 149, 28, 255]);
  });

  it('refuses pixels that do not fill the frame', () => {
    expect(() => lumaFromRgb(2, 2, new Uint8Array(11), 3)).toThrow(RangeError);
  });
});

describe('choosePosterCandidates', () => {
  it('refuses black and near-black frames', () => {
    const nearBlack = frameOf((x, y) => 8 + ((x + y) % 3) * 4);
    expect(measureFrame(nearBlack).meanLuma).toBeLessThan(BLACK_MEAN_LUMA);

    expect(verdicts(measured([flat(0), nearBlack, scene(1)]), 30)).toEqual(['BLACK', 'BLACK', 'CHOSEN']);
  });

  it('refuses uniform grey, white and a barely-there fade', () => {
    const fade = frameOf((x) => 100 + (x % 2) * 10);
    expect(measureFrame(fade).lumaStdDev).toBeLessThan(UNIFORM_LUMA_STD_DEV);

    expect(verdicts(measured([flat(128), flat(250), fade, scene(1)]), 40)).toEqual([
      'UNIFORM',
      'UNIFORM',
      'UNIFORM',
      'CHOSEN',
    ]);
  });

  it('refuses a frame blurred next to the sharp frames of the same title', () => {
    // Mildly blurred: sharp enough on its own, soft beside the others.
    const soft = blurred(scene(4), 1, 1);
    expect(measureFrame(soft).sharpness).toBeGreaterThan(MIN_SHARPNESS);

    expect(verdicts(measured([scene(1), soft, scene(2), scene(3)]), 40)).toEqual([
      'CHOSEN',
      'BLURRED',
      'CHOSEN',
      'CHOSEN',
    ]);
  });

  it('refuses a frame blurred beyond use even when every frame is', () => {
    const frames = measured([blurred(scene(1), 3), blurred(scene(2), 3)]);

    expect(choosePosterCandidates(frames, { durationSec: 20 }).chosen).toEqual([]);
    expect(verdicts(frames, 20)).toEqual(['BLURRED', 'BLURRED']);
  });

  it('prefers the frame with its subject on a third, best first', () => {
    const frames = measured([subjectAt(0.5, 0.5), subjectAt(0.06, 0.1), subjectAt(2 / 3, 1 / 3)], 30);

    const { chosen } = choosePosterCandidates(frames, { durationSec: 90, maxCandidates: 1 });

    expect(chosen.map((c) => c.index)).toEqual([2]);
  });

  it('keeps at most four, the best ones, spread over the programme', () => {
    const frames = measured(
      Array.from({ length: 10 }, (_, i) => scene(i + 1)),
      60,
    );

    const choice = choosePosterCandidates(frames, { durationSec: 600 });

    expect(choice.chosen).toHaveLength(MAX_POSTER_CANDIDATES);
    const scores = choice.chosen.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const outranked = choice.judged.filter((j) => j.verdict === 'OUTRANKED');
    expect(outranked).toHaveLength(6);
    expect(Math.max(...outranked.map((o) => o.score))).toBeLessThanOrEqual(Math.min(...scores));
    for (const c of choice.chosen) expect(c.score).toBeGreaterThan(0);
  });

  it('never keeps two near-duplicates, however far apart', () => {
    const frames = measured([scene(7), scene(8), scene(7)], 100);

    expect(verdicts(frames, 300).filter((v) => v === 'NEAR_DUPLICATE')).toHaveLength(1);
    expect(verdicts(frames, 300).filter((v) => v === 'CHOSEN')).toHaveLength(2);
  });

  it('never keeps two frames closer than an eighth of the programme', () => {
    // 4 candidates over 400 s: at least 50 s apart.
    const frames: MeasuredFrame[] = [
      { index: 0, atSec: 100, measures: measureFrame(scene(1)) },
      { index: 1, atSec: 130, measures: measureFrame(scene(2)) },
      { index: 2, atSec: 160, measures: measureFrame(scene(3)) },
    ];

    const choice = choosePosterCandidates(frames, { durationSec: 400 });

    expect(choice.chosen.length).toBeGreaterThanOrEqual(1);
    expect(choice.judged.filter((j) => j.verdict === 'TOO_CLOSE').length).toBeGreaterThanOrEqual(1);
    const times = choice.chosen.map((c) => c.atSec).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(50);
  });

  it('chooses nothing from nothing', () => {
    expect(choosePosterCandidates([], { durationSec: 0 })).toEqual({ chosen: [], judged: [] });
  });
});

describe('artwork keys', () => {
  it('lays public artwork out as artwork/<titleId>/<assetId>/<artworkId>.jpg', () => {
    expect(artworkPrefix('title-1', 'asset-1')).toBe('artwork/title-1/asset-1/');
    expect(artworkKey('title-1', 'asset-1', '3f9a0c1d2e4b5a6f')).toBe(
      'artwork/title-1/asset-1/3f9a0c1d2e4b5a6f.jpg',
    );
  });
});
