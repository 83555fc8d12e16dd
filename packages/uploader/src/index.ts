// The environment-neutral surface of @courier/uploader. Node file access is under "@courier/uploader/node".
export { UPLOADER_ERROR_CODES, UploaderError, type UploaderErrorCode } from './errors.js';
export {
  buildRtGraph,
  type InstanceReference,
  isMissingNodeId,
  type MissingNode,
  type ReferenceKind,
  type RtEdge,
  type RtGraph,
  type RtInstanceInput,
  type RtSeriesInput,
  type WeakLink,
} from './rt-graph.js';
export { buildRtTree, type RtTreeLink, type RtTreeNode } from './rt-tree.js';
export {
  deselectSeries,
  emptySelection,
  impliedSeries,
  type MissingReference,
  missingFromSelection,
  requiredBy,
  type SelectionState,
  type SelectionStatus,
  selectAll,
  selectedSeries,
  selectionStatus,
  selectSeries,
} from './selection.js';
export { isSecondaryCaptureSopClass, modalityOfSopClass } from './sop-class-modality.js';
