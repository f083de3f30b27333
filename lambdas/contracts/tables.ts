/**
 * Table declarations: CDK creates the tables from these, the local platform reads the tables
 * back from the synthesized template, and the adapters use the same key names.
 */
export interface TableDeclaration {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly timeToLiveAttribute?: string;
  readonly indexes: readonly {
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey?: string;
  }[];
}

/** One item per encode job, owned by the media pipeline. */
export const MEDIA_JOBS_TABLE = {
  partitionKey: 'jobId',
  indexes: [{ name: 'byTitle', partitionKey: 'titleId', sortKey: 'createdAt' }],
} as const satisfies TableDeclaration;
