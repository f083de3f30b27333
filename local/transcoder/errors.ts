/** Why a local transcode failed. Stable codes: the local platform maps them to job states. */
export const TRANSCODE_ERROR_CODES = [
  /** ffmpeg could not start, or exited with an error. */
  'FFMPEG_FAILED',
  /** The caller's AbortSignal fired; ffmpeg was killed. */
  'ABORTED',
  /** The job settings ask for something the local stand-in does not emulate. */
  'UNSUPPORTED_SETTINGS',
  /** An input (e.g. a caption sidecar) is not what the settings say it is. */
  'INVALID_INPUT',
  /** ffmpeg exited cleanly but an output MediaConvert would have written is absent. */
  'OUTPUT_MISSING',
] as const;
/** One of `TRANSCODE_ERROR_CODES`. */
export type TranscodeErrorCode = (typeof TRANSCODE_ERROR_CODES)[number];

/** A failed local transcode; `stderrTail` holds the end of ffmpeg's log when ffmpeg ran. */
export class TranscodeError extends Error {
  override readonly name = 'TranscodeError';
  readonly code: TranscodeErrorCode;
  readonly stderrTail: string | undefined;

  constructor(
    code: TranscodeErrorCode,
    message: string,
    options: { cause?: unknown; stderrTail?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.stderrTail = options.stderrTail;
  }
}
