// Node-only surface of @courier/uploader: file access through node:fs.
export { listFileSources, nodeFileSource } from './file-source.js';
