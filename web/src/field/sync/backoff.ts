// Exponential backoff for uploads: 2 s after the first failure, doubling up
// to 5 minutes, with jitter so that many phones regaining signal together do
// not retry in step.

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

/** Delay after the `attempts`-th failed attempt (1-based); `random` is in [0, 1). */
export function backoffDelay(attempts: number, random: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 20));
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** exponent);
  return Math.round(ceiling * (0.5 + random / 2));
}
