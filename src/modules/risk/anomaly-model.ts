import { IsolationForest } from 'ml-isolation-forest';

/** Vectors kept per kind of subject to train on (a reservoir of normal windows). */
export const RESERVOIR_SIZE = 512;
/** Rows each forest is trained on (Liu et al. 2008: 256 is enough) and its trees. */
const SAMPLE_SIZE = 256;
const TREES = 32;
/** Vectors needed before the model scores at all. */
export const MIN_TRAINING = 64;
/** Deviations are clipped to this before the model reads them. */
const CLIP = 12;

/** A small deterministic PRNG (mulberry32): the same reservoir and seed grow the same forest on every worker. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const clipVector = (vector: readonly number[]): number[] => vector.map((value) => Math.max(-CLIP, Math.min(CLIP, Number.isFinite(value) ? value : 0)));

/**
 * The unsupervised model (docs/risk.md "Model"): an isolation forest (ml-isolation-forest) over
 * subjects' vectors of deviations from their own baselines. An isolation forest only isolates a
 * point early if it is among the points it is grown on (its splits fall within the training
 * range), so each window grows one per kind on a sample of the reservoir of recent normal windows
 * plus the window's candidates, and scores the candidates: about 0.5 and below is ordinary, near 1
 * isolated.
 */
export interface AnomalyModel {
  score(vector: readonly number[]): number;
}

/**
 * Grows a forest on a sample of the reservoir and the candidates. ml-isolation-forest draws its
 * splits from `Math.random`; training is synchronous, so a seeded generator stands in for it for
 * the duration: the same inputs grow the same forest on every worker and in the evaluation.
 */
export function trainAnomalyModel(reservoir: readonly (readonly number[])[], seed: number, candidates: readonly (readonly number[])[] = []): AnomalyModel | undefined {
  if (reservoir.length < MIN_TRAINING) return undefined;
  const random = mulberry32(seed);
  const rows = reservoir.map(clipVector);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const forest = new IsolationForest({ nEstimators: TREES });
  const original = Math.random;
  Math.random = random;
  try {
    forest.train([...rows.slice(0, SAMPLE_SIZE - Math.min(candidates.length, SAMPLE_SIZE / 4)), ...candidates.slice(0, SAMPLE_SIZE / 4).map(clipVector)]);
  } finally {
    Math.random = original;
  }
  return { score: (vector) => forest.predict([clipVector(vector)])[0] ?? 0 };
}

/** Offers a vector to a reservoir (Vitter's algorithm R, drawn from the seeded generator); `seen` counts the vectors offered before. */
export function offerToReservoir(reservoir: number[][], seen: number, vector: readonly number[], random: () => number): void {
  if (reservoir.length < RESERVOIR_SIZE) {
    reservoir.push([...vector]);
    return;
  }
  const slot = Math.floor(random() * (seen + 1));
  if (slot < RESERVOIR_SIZE) reservoir[slot] = [...vector];
}
