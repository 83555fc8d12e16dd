// Web Worker entry: parses DICOM headers off the main thread so the page stays responsive while
// thousands of files are scanned (ARCHITECTURE.md, "The browser tab dies on a big folder").
import { type MessageTarget, serveScanRequests } from '@courier/uploader';

serveScanRequests(self as unknown as MessageTarget);
