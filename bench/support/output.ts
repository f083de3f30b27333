/**
 * What every bench writes: progress lines on stderr, and one JSON object as the last line of
 * stdout (what bench/README.md documents and what a caller reads with `tail -n1`).
 */

/** A progress logger: `[tag] message` lines on stderr, so stdout keeps only the results. */
export function progressLog(tag: string): (message: string) => void {
  return (message) => {
    process.stderr.write(`[${tag}] ${message}\n`);
  };
}

/** The bench's result, as the last line of stdout. */
export function printResultLine(result: Readonly<Record<string, unknown>>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;
