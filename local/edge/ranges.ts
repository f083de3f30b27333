/**
 * The byte range a viewer asked for. An edge always holds the whole object, so a Range request
 * is answered from it (206, or 416 past its end) and never forwarded to the origin.
 */
import { parse } from 'range-parser';

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/**
 * One `bytes=` range against a body of `size` bytes (RFC 9110 §14.1.2). Several ranges, a
 * malformed one, or another unit are ignored: the whole body is sent, which the RFC allows.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  // One range only: a multipart/byteranges answer is more than the players we serve ask for.
  if (!header || header.includes(',')) return undefined;
  const parsed = parse(size, header.trim());
  if (parsed.type !== 'bytes' || parsed.code & 1) return undefined;
  const [range] = parsed.ranges;
  // No range left: it starts past the end, or it is a suffix of an empty body.
  if (range === undefined) return 'unsatisfiable';
  return { start: range.start, end: range.end };
}
