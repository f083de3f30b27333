/**
 * Where each stream mapping got to, kept in the data directory so a restart resumes after the
 * last processed record instead of redelivering the stream from its start: per shard, the last
 * sequence number processed (delivered, filtered out or dead-lettered) and whether the shard was
 * closed and read to its end. Lambda keeps the same per-shard position for its mappings.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ShardCheckpoint {
  /** The last sequence number processed in the shard. */
  sequenceNumber?: string;
  /** The shard was closed and every record of it processed. */
  finished?: boolean;
}

interface CheckpointFile {
  /** The stream the positions belong to: a table that was recreated has a new stream. */
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

export class CheckpointStore {
  private readonly file: string;
  private state: CheckpointFile | undefined;

  /** `<dir>/<mappingId>.json`. */
  constructor(dir: string, mappingId: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${mappingId}.json`);
    try {
      this.state = JSON.parse(readFileSync(this.file, 'utf8')) as CheckpointFile;
    } catch {
      // No file yet (first start), or one cut short by a crash: the stream is read from its start.
      this.state = undefined;
    }
  }

  /** The positions kept for `streamArn`; none when they belong to another stream. */
  shards(streamArn: string): Readonly<Record<string, ShardCheckpoint>> {
    return this.state?.streamArn === streamArn ? this.state.shards : {};
  }

  get(streamArn: string, shardId: string): ShardCheckpoint | undefined {
    return this.shards(streamArn)[shardId];
  }

  /** Records the position, on disk at once. */
  set(streamArn: string, shardId: string, checkpoint: ShardCheckpoint): void {
    if (this.state?.streamArn !== streamArn) this.state = { streamArn, shards: {} };
    this.state.shards[shardId] = { ...this.state.shards[shardId], ...checkpoint };
    this.write(this.state);
  }

  /** Forgets shards the stream no longer lists (trimmed after 24 hours on AWS). */
  retain(streamArn: string, shardIds: ReadonlySet<string>): void {
    if (this.state?.streamArn !== streamArn) return;
    const known = Object.keys(this.state.shards);
    if (known.every((id) => shardIds.has(id))) return;
    for (const id of known) if (!shardIds.has(id)) delete this.state.shards[id];
    this.write(this.state);
  }

  /** Written whole and renamed into place: a crash leaves the previous file, never half of one. */
  private write(state: CheckpointFile): void {
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(temporary, this.file);
  }
}
