import type { DicomElement } from '@courier/dicom';
import type { DicomStore, StoredInstance } from '../storage/dicom-store.js';
import { type DicomJsonObject, toDicomJson } from './dicom-json-model.js';
import { type PixelDataLocation, pixelDataLocation } from './pixel-data-location.js';
import { readStoredHeader } from './stored-header.js';

/** An instance of a study with the attributes QIDO-RS matches and returns. */
export interface IndexedInstance {
  readonly instance: StoredInstance;
  /**
   * The instance's top-level attributes that a search can use: no sequences, no binary values and
   * no text longer than 1 KiB (ContourData of an RTSTRUCT can be megabytes). Full headers are
   * served by WADO-RS metadata, read fresh from the store.
   */
  readonly attributes: DicomJsonObject;
  /** The stored transfer syntax (0002,0010), for the parts' `transfer-syntax` parameter (PS3.18 8.7.3.5.2). */
  readonly transferSyntaxUid: string;
  /** Where Pixel Data lies in the file, for frame retrieval; undefined without (native-readable) pixel data. */
  readonly pixelData: PixelDataLocation | undefined;
}

/** The searchable view of one stored study: its instances by series then SOP Instance UID. */
export interface StudyIndex {
  readonly studyInstanceUid: string;
  readonly instances: readonly IndexedInstance[];
}

interface CachedStudy {
  index: StudyIndex;
  bySop: Map<string, IndexedInstance>;
  version: string | undefined;
  /** When the store was last listed for this study (ms). */
  checkedAt: number;
}

/** Header reads in flight per study load: enough to hide file latency, few enough for 2 cores. */
const READ_CONCURRENCY = 8;
/** How long a cached index is trusted without listing the store, while its version holds. */
const DEFAULT_MAX_AGE_MS = 60_000;
/** Longest text value kept for searching. */
const MAX_SEARCH_TEXT = 1024;

const searchable = (element: DicomElement) =>
  element.items === undefined &&
  !['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN', 'SQ'].includes(element.vr) &&
  element.length <= MAX_SEARCH_TEXT;

async function mapLimit<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Searchable attributes of stored studies, read from the instances' headers and cached per study.
 * A cached index is used as it is while the caller's `version` (the study's slot assignments,
 * which change with every commit into the store) is unchanged and it was checked less than
 * `maxAgeMs` ago; otherwise the study is listed in the store again (for the file store one
 * sidecar read per instance: 2,000 instances cost seconds on a busy machine, hence the version)
 * and only instances that are new or whose SHA-256 changed are read again. The cache holds at most
 * `maxInstances` instances; the least recently used studies are dropped first.
 *
 * @example
 * const index = new StudyIndexCache(context.store);
 * const { instances } = await index.get(studyInstanceUid);
 */
export class StudyIndexCache {
  private readonly studies = new Map<string, CachedStudy>();
  private readonly loading = new Map<string, Promise<StudyIndex>>();

  constructor(
    private readonly store: DicomStore,
    private readonly options: { maxInstances?: number; maxAgeMs?: number; now?: () => number } = {},
  ) {}

  /**
   * The index of a study (empty when the store holds nothing under the UID). Without `version` the
   * store is always listed again.
   */
  get(studyInstanceUid: string, version?: string): Promise<StudyIndex> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.studies.get(studyInstanceUid);
    if (
      cached !== undefined &&
      version !== undefined &&
      cached.version === version &&
      now - cached.checkedAt < (this.options.maxAgeMs ?? DEFAULT_MAX_AGE_MS)
    ) {
      this.studies.delete(studyInstanceUid);
      this.studies.set(studyInstanceUid, cached);
      return Promise.resolve(cached.index);
    }
    // Concurrent requests for one study share one load.
    const pending = this.loading.get(studyInstanceUid);
    if (pending !== undefined) return pending;
    const load = this.load(studyInstanceUid, version, now).finally(() => this.loading.delete(studyInstanceUid));
    this.loading.set(studyInstanceUid, load);
    return load;
  }

  private async load(studyInstanceUid: string, version: string | undefined, now: number): Promise<StudyIndex> {
    const stored = await this.store.listStudy(studyInstanceUid);
    const cached = this.studies.get(studyInstanceUid)?.bySop ?? new Map<string, IndexedInstance>();
    const instances = await mapLimit(stored, READ_CONCURRENCY, async (instance) => {
      const hit = cached.get(instance.sopInstanceUid);
      if (hit !== undefined && hit.instance.sha256 === instance.sha256 && hit.instance.size === instance.size) {
        return hit;
      }
      const file = await readStoredHeader(this.store, instance);
      return {
        instance,
        attributes: toDicomJson(file, file.dataSet, { keep: searchable }),
        transferSyntaxUid: file.transferSyntax.uid,
        pixelData: pixelDataLocation(file),
      };
    });
    const index: StudyIndex = { studyInstanceUid, instances };
    const entry: CachedStudy = {
      index,
      bySop: new Map(instances.map((i) => [i.instance.sopInstanceUid, i])),
      version,
      checkedAt: now,
    };
    // Re-inserting moves the study to the end: Map order is the LRU order.
    this.studies.delete(studyInstanceUid);
    this.studies.set(studyInstanceUid, entry);
    this.evict();
    return index;
  }

  private evict(): void {
    const max = this.options.maxInstances ?? 200_000;
    let total = 0;
    for (const entry of this.studies.values()) total += entry.bySop.size;
    for (const [uid, entry] of this.studies) {
      if (total <= max || this.studies.size === 1) break;
      this.studies.delete(uid);
      total -= entry.bySop.size;
    }
  }
}
