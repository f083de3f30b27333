/**
 * What every discovery function reads, made once per execution environment: the discovery
 * table and the catalog snapshot (through the in-function cache of `snapshot-bucket.ts`), viewed
 * once per snapshot version.
 */
import { ENV } from '#contracts/env.ts';
import { s3Client } from '#shared/aws.ts';
import { requireEnv, tableName } from '#shared/env.ts';
import { type CatalogView, catalogView } from '../domain/catalog-view.ts';
import type { CatalogSnapshot } from '../domain/ports.ts';
import { emptySnapshot } from '../domain/snapshot.ts';
import { dynamoDiscoveryTable } from './discovery-table.ts';
import { snapshotReader } from './snapshot-bucket.ts';

export function discoveryContext() {
  const table = dynamoDiscoveryTable(tableName('discovery'));
  const readSnapshot = snapshotReader(s3Client(), requireEnv(ENV.DISCOVERY_BUCKET));
  const views = new WeakMap<CatalogSnapshot, CatalogView>();
  let empty: CatalogView | undefined;
  /** The catalog as discovery sees it now (empty until the indexer has run once). */
  async function catalog(): Promise<CatalogView> {
    const snapshot = await readSnapshot();
    if (!snapshot) {
      empty ??= catalogView(emptySnapshot(new Date()));
      return empty;
    }
    let view = views.get(snapshot);
    if (!view) {
      view = catalogView(snapshot);
      views.set(snapshot, view);
    }
    return view;
  }
  return { table, catalog };
}
