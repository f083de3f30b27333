/**
 * Chooses poster candidates among the frames the transcode captured: a frame is measured once
 * (exposure, sharpness, composition, a coarse thumbnail to spot near-duplicates), then the set
 * is judged together, because "blurred" only means something next to the other frames of the
 * same title. Pure: decoded luma in, numbers and verdicts out.
 *
 * The heuristic, in the spirit of the artwork work Netflix describes (frames that are in focus,
 * well exposed and framed, not black or motion-blurred, several per title for a per-viewer
 * choice):
 * - black (mean luma below `BLACK_MEAN_LUMA`) and near-uniform frames (standard deviation below
 *   `UNIFORM_LUMA_STD_DEV`: fades, flashes, slates) are refused outright;
 * - sharpness is the variance of the Laplacian (Pech-Pacheco et al., "Diatom autofocusing in
 *   brightfield microscopy", 2000); a frame below `BLUR_RATIO` of the set's reference (its 75th
 *   percentile) is blurred, and so is any frame under `MIN_SHARPNESS`;
 * - composition rewards detail near the rule-of-thirds points over detail spread evenly, and
 *   penalises detail crowded against the borders;
 * - the best frames are kept, at most `MAX_POSTER_CANDIDATES`, no two closer in time than a
 *   share of the programme and no two that look alike.
 */
import { ARTWORK_PREFIX } from '#contracts/storage.ts';

/** An 8-bit luma plane, row-major, `width × height` bytes. */
export interface LumaFrame {
  readonly width: number;
  readonly height: number;
  readonly luma: Uint8Array;
}

/** What one frame measures; kept instead of its pixels, so a whole set is judged in little memory. */
export interface FrameMeasures {
  /** Mean luma, 0–255. */
  readonly meanLuma: number;
  /** Standard deviation of luma, 0–127.5. */
  readonly lumaStdDev: number;
  /** Variance of the 4-neighbour Laplacian: high for crisp detail, low for blur. */
  readonly sharpness: number;
  /** 0–1: 0.5 for detail spread evenly, more when it gathers on the thirds, less at the borders. */
  readonly composition: number;
  /** Mean luma of each cell of a `SIGNATURE_GRID × SIGNATURE_GRID` grid, 0–255, for near-duplicates. */
  readonly signature: readonly number[];
}

/** One captured frame, measured. */
export interface MeasuredFrame {
  /** Capture number, from 0. */
  readonly index: number;
  /** Seconds from the start of the programme. */
  readonly atSec: number;
  readonly measures: FrameMeasures;
}

/** Why a frame was not chosen, or that it was. */
export const FRAME_VERDICTS = [
  'CHOSEN',
  'BLACK',
  'UNIFORM',
  'BLURRED',
  'NEAR_DUPLICATE',
  'TOO_CLOSE',
  'OUTRANKED',
] as const;
export type FrameVerdict = (typeof FRAME_VERDICTS)[number];

/** A frame with its score and the verdict on it. */
export interface JudgedFrame {
  readonly index: number;
  readonly atSec: number;
  /** 0–1; 0 for frames refused before scoring (black, uniform, blurred). */
  readonly score: number;
  readonly verdict: FrameVerdict;
}

/** The chooser's answer: the chosen frames, best first, and a verdict for every frame. */
export interface PosterChoice {
  readonly chosen: readonly JudgedFrame[];
  /** Every frame, in capture order. */
  readonly judged: readonly JudgedFrame[];
}

/** At most this many candidates per asset: enough for a per-viewer choice, few enough to learn. */
export const MAX_POSTER_CANDIDATES = 4;
/** Mean luma under this is black (video black is 16, full-range JPEG black 0). */
export const BLACK_MEAN_LUMA = 24;
/** Luma standard deviation under this is a near-uniform frame: a fade, a flash, a slate. */
export const UNIFORM_LUMA_STD_DEV = 12;
/** A frame under this share of the set's reference sharpness is blurred. */
export const BLUR_RATIO = 0.35;
/** Laplacian variance under which a frame is blurred whatever the others look like. */
export const MIN_SHARPNESS = 20;
/** Mean absolute difference of two signatures (0–255) under which two frames look alike. */
export const NEAR_DUPLICATE_DISTANCE = 12;
/** Cells per side of the signature grid. */
export const SIGNATURE_GRID = 16;

/** Cells per side of the grid detail is summed over for composition. */
const COMPOSITION_GRID = 12;
/** Spread of the attraction of each thirds point, as a share of the frame's side. */
const THIRDS_SIGMA = 0.12;
const THIRDS_POINTS = [
  [1 / 3, 1 / 3],
  [2 / 3, 1 / 3],
  [1 / 3, 2 / 3],
  [2 / 3, 2 / 3],
] as const;
/** How the score weighs its parts; they sum to 1. */
const WEIGHTS = { composition: 0.45, sharpness: 0.3, contrast: 0.15, exposure: 0.1 } as const;
/** Standard deviation at which contrast counts in full. */
const FULL_CONTRAST_STD_DEV = 64;
/** Mean luma of a well exposed frame. */
const MID_LUMA = 118;

/** Luma (BT.601) of interleaved 8-bit RGB or RGBA pixels. */
export function lumaFromRgb(width: number, height: number, pixels: Uint8Array, channels: 3 | 4): LumaFrame {
  const count = width * height;
  if (pixels.length < count * channels) {
    throw new RangeError(`${width}x${height} needs ${count * channels} bytes, got ${pixels.length}`);
  }
  const luma = new Uint8Array(count);
  for (let i = 0, p = 0; i < count; i++, p += channels) {
    // Integer BT.601 weights (77 + 150 + 29 = 256).
    luma[i] =
      ((pixels[p] as number) * 77 + (pixels[p + 1] as number) * 150 + (pixels[p + 2] as number) * 29) >> 8;
  }
  return { width, height, luma };
}

/** Measures one frame. Frames smaller than 3×3 have no Laplacian: they measure as flat. */
export function measureFrame(frame: LumaFrame): FrameMeasures {
  const { width, height, luma } = frame;
  if (width < 1 || height < 1 || luma.length < width * height) {
    throw new RangeError(`a ${width}x${height} frame needs ${width * height} luma bytes, got ${luma.length}`);
  }
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < width * height; i++) {
    const v = luma[i] as number;
    sum += v;
    sumSquares += v * v;
  }
  const count = width * height;
  const meanLuma = sum / count;
  const lumaStdDev = Math.sqrt(Math.max(0, sumSquares / count - meanLuma * meanLuma));

  // Laplacian over interior pixels: its variance (sharpness) and |L| per composition cell.
  const cells = new Float64Array(COMPOSITION_GRID * COMPOSITION_GRID);
  const cellPixels = new Float64Array(COMPOSITION_GRID * COMPOSITION_GRID);
  let lapSum = 0;
  let lapSquares = 0;
  let lapCount = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    const cellRow =
      Math.min(COMPOSITION_GRID - 1, Math.floor((y * COMPOSITION_GRID) / height)) * COMPOSITION_GRID;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const laplacian =
        4 * (luma[i] as number) -
        (luma[i - 1] as number) -
        (luma[i + 1] as number) -
        (luma[i - width] as number) -
        (luma[i + width] as number);
      lapSum += laplacian;
      lapSquares += laplacian * laplacian;
      lapCount += 1;
      const cell = cellRow + Math.min(COMPOSITION_GRID - 1, Math.floor((x * COMPOSITION_GRID) / width));
      cells[cell] = (cells[cell] as number) + Math.abs(laplacian);
      cellPixels[cell] = (cellPixels[cell] as number) + 1;
    }
  }
  const lapMean = lapCount === 0 ? 0 : lapSum / lapCount;
  const sharpness = lapCount === 0 ? 0 : Math.max(0, lapSquares / lapCount - lapMean * lapMean);
  for (let c = 0; c < cells.length; c++) {
    cells[c] = (cellPixels[c] as number) === 0 ? 0 : (cells[c] as number) / (cellPixels[c] as number);
  }

  return {
    meanLuma,
    lumaStdDev,
    sharpness,
    composition: compositionOf(cells),
    signature: signatureOf(frame),
  };
}

/**
 * Judges a set of measured frames and chooses up to `maxCandidates`, best first, no two closer
 * than `durationSec / (2 × maxCandidates)` seconds and no two near-duplicates.
 */
export function choosePosterCandidates(
  frames: readonly MeasuredFrame[],
  options: { readonly durationSec: number; readonly maxCandidates?: number },
): PosterChoice {
  const maxCandidates = options.maxCandidates ?? MAX_POSTER_CANDIDATES;
  const verdicts = new Map<number, JudgedFrame>();
  const judge = (frame: MeasuredFrame, verdict: FrameVerdict, score = 0): void => {
    verdicts.set(frame.index, { index: frame.index, atSec: frame.atSec, score, verdict });
  };

  const exposed: MeasuredFrame[] = [];
  for (const frame of frames) {
    if (frame.measures.meanLuma < BLACK_MEAN_LUMA) judge(frame, 'BLACK');
    else if (frame.measures.lumaStdDev < UNIFORM_LUMA_STD_DEV) judge(frame, 'UNIFORM');
    else exposed.push(frame);
  }

  // Blur is relative: the reference is what this title's sharper frames reach.
  const reference = percentile(
    exposed.map((f) => f.measures.sharpness),
    0.75,
  );
  const blurLimit = Math.max(MIN_SHARPNESS, BLUR_RATIO * reference);
  const scored: { frame: MeasuredFrame; score: number }[] = [];
  for (const frame of exposed) {
    if (frame.measures.sharpness < blurLimit) judge(frame, 'BLURRED');
    else scored.push({ frame, score: scoreOf(frame.measures, reference) });
  }

  scored.sort((a, b) => b.score - a.score || a.frame.atSec - b.frame.atSec);
  const minGapSec = Math.max(0, options.durationSec) / (2 * Math.max(1, maxCandidates));
  const chosen: { frame: MeasuredFrame; score: number }[] = [];
  for (const entry of scored) {
    const { frame, score } = entry;
    if (chosen.length >= maxCandidates) judge(frame, 'OUTRANKED', score);
    else if (
      chosen.some((c) => signatureDistance(c.frame.measures, frame.measures) < NEAR_DUPLICATE_DISTANCE)
    )
      judge(frame, 'NEAR_DUPLICATE', score);
    else if (chosen.some((c) => Math.abs(c.frame.atSec - frame.atSec) < minGapSec))
      judge(frame, 'TOO_CLOSE', score);
    else {
      chosen.push(entry);
      judge(frame, 'CHOSEN', score);
    }
  }

  const judged = frames.map((f) => verdicts.get(f.index)).filter((j): j is JudgedFrame => j !== undefined);
  return {
    chosen: chosen.map((c) => verdicts.get(c.frame.index)).filter((j): j is JudgedFrame => j !== undefined),
    judged: judged.sort((a, b) => a.index - b.index),
  };
}

/** Mean absolute difference of two frames' signatures, 0–255. */
export function signatureDistance(a: FrameMeasures, b: FrameMeasures): number {
  const n = Math.min(a.signature.length, b.signature.length);
  if (n === 0) return 255;
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.abs((a.signature[i] as number) - (b.signature[i] as number));
  return total / n;
}

/** Folder of an asset's public artwork: `artwork/<titleId>/<assetId>/`. */
export function artworkPrefix(titleId: string, assetId: string): string {
  return `${ARTWORK_PREFIX}${titleId}/${assetId}/`;
}

/** Public key of one poster candidate: `artwork/<titleId>/<assetId>/<artworkId>.jpg`. */
export function artworkKey(titleId: string, assetId: string, artworkId: string): string {
  return `${artworkPrefix(titleId, assetId)}${artworkId}.jpg`;
}

/** 0–1, from composition, sharpness relative to the set, contrast and exposure. */
function scoreOf(measures: FrameMeasures, referenceSharpness: number): number {
  const sharpness = referenceSharpness <= 0 ? 1 : Math.min(1, measures.sharpness / referenceSharpness);
  const contrast = Math.min(1, measures.lumaStdDev / FULL_CONTRAST_STD_DEV);
  const exposure = Math.max(0, 1 - Math.abs(measures.meanLuma - MID_LUMA) / MID_LUMA);
  const score =
    WEIGHTS.composition * measures.composition +
    WEIGHTS.sharpness * sharpness +
    WEIGHTS.contrast * contrast +
    WEIGHTS.exposure * exposure;
  return Math.round(score * 1000) / 1000;
}

/**
 * Detail near the thirds against detail everywhere (`r`, 1 when even), as r / (1 + r), reduced by
 * the share of detail the border ring holds beyond its share of the area.
 */
function compositionOf(cells: Float64Array): number {
  let total = 0;
  let weighted = 0;
  let weights = 0;
  let border = 0;
  let borderCells = 0;
  for (let row = 0; row < COMPOSITION_GRID; row++) {
    for (let col = 0; col < COMPOSITION_GRID; col++) {
      const energy = cells[row * COMPOSITION_GRID + col] as number;
      const x = (col + 0.5) / COMPOSITION_GRID;
      const y = (row + 0.5) / COMPOSITION_GRID;
      const weight = Math.max(
        ...THIRDS_POINTS.map(([px, py]) =>
          Math.exp(-((x - px) ** 2 + (y - py) ** 2) / (2 * THIRDS_SIGMA ** 2)),
        ),
      );
      total += energy;
      weighted += weight * energy;
      weights += weight;
      if (row === 0 || col === 0 || row === COMPOSITION_GRID - 1 || col === COMPOSITION_GRID - 1) {
        border += energy;
        borderCells += 1;
      }
    }
  }
  if (total <= 0) return 0;
  const cellCount = COMPOSITION_GRID * COMPOSITION_GRID;
  const ratio = weighted / weights / (total / cellCount);
  const borderArea = borderCells / cellCount;
  const borderExcess = Math.max(0, (border / total - borderArea) / (1 - borderArea));
  return (ratio / (1 + ratio)) * (1 - borderExcess);
}

function signatureOf(frame: LumaFrame): number[] {
  const { width, height, luma } = frame;
  const sums = new Float64Array(SIGNATURE_GRID * SIGNATURE_GRID);
  const counts = new Float64Array(SIGNATURE_GRID * SIGNATURE_GRID);
  for (let y = 0; y < height; y++) {
    const row = Math.min(SIGNATURE_GRID - 1, Math.floor((y * SIGNATURE_GRID) / height)) * SIGNATURE_GRID;
    for (let x = 0; x < width; x++) {
      const cell = row + Math.min(SIGNATURE_GRID - 1, Math.floor((x * SIGNATURE_GRID) / width));
      sums[cell] = (sums[cell] as number) + (luma[y * width + x] as number);
      counts[cell] = (counts[cell] as number) + 1;
    }
  }
  return Array.from(sums, (s, i) => ((counts[i] as number) === 0 ? 0 : s / (counts[i] as number)));
}

/** The `p` quantile (0–1) by linear interpolation; 0 for no values. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (at - low);
}
