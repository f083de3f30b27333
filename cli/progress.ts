/**
 * The ingest CLI's progress on stderr, one stage at a time (UPLOADING, then each job status).
 * On a terminal: a bar per stage, redrawn in place (cli-progress), ended with a newline when the
 * stage changes. Elsewhere (a log, a pipe): one plain line per change, since a redrawn bar means
 * nothing there and cli-progress would instead print its bar every few seconds, changed or not.
 * https://github.com/npkgz/cli-progress (README, "Options")
 */
import cliProgress from 'cli-progress';

export interface StageProgress {
  /** Shows `percent` (0 to 100) of `stage`; a new stage ends the previous one's bar. */
  show(stage: string, percent: number): void;
  /** Ends the current bar, if any (before the result, and on errors). */
  stop(): void;
}

const LABEL_WIDTH = 12;

export function stageProgress(stream: NodeJS.WriteStream = process.stderr): StageProgress {
  const clamp = (percent: number) => Math.min(100, Math.max(0, Math.round(percent)));
  let current: { stage: string; percent: number } | undefined;

  if (!stream.isTTY) {
    return {
      show(stage, percent) {
        const value = clamp(percent);
        if (current?.stage === stage && current.percent === value) return;
        current = { stage, percent: value };
        stream.write(`${stage.padEnd(LABEL_WIDTH)} ${String(value).padStart(3)}%\n`);
      },
      stop() {
        current = undefined;
      },
    };
  }

  const bar = new cliProgress.SingleBar({
    stream,
    format: '{stage} [{bar}] {percentage}%',
    barsize: 30,
    barCompleteChar: '#',
    barIncompleteChar: '-',
    autopadding: true,
  });
  return {
    show(stage, percent) {
      const value = clamp(percent);
      if (current?.stage !== stage) {
        if (current) bar.stop();
        bar.start(100, value, { stage: stage.padEnd(LABEL_WIDTH) });
      } else {
        bar.update(value);
      }
      current = { stage, percent: value };
    },
    stop() {
      if (current) bar.stop();
      current = undefined;
    },
  };
}
