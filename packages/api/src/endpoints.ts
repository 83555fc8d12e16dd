import { listAudit } from './audit.js';
import {
  changePassword,
  createApiToken,
  getMe,
  listApiTokens,
  login,
  logout,
  revokeApiToken,
  setActiveStudy,
} from './auth.js';
import { DICOMWEB_ENDPOINTS, downloadSeriesZip, downloadStudyZip } from './dicomweb.js';
import type { AnyEndpoint, Endpoint } from './endpoint.js';
import {
  createEventDefinition,
  createSlotDefinition,
  listEventDefinitions,
  listEventSlots,
  listSubjectEvents,
  scheduleEvent,
} from './events.js';
import {
  getMyMailAddress,
  getNotificationSettings,
  listMailOutbox,
  setMyMailAddress,
  updateNotificationSettings,
} from './notifications.js';
import { exportOdmClinicalData, importOdm, previewOdmImport } from './odm.js';
import { assignSlot, clearSlot, getSlotHistory, getStoredStudy, listStoredStudies } from './slots.js';
import { createSite, createStudy, getStudy, listStudies, updateStudy } from './studies.js';
import { enrolSubject, getSubject, listSubjects, updateSubject } from './subjects.js';
import {
  commitUpload,
  createUpload,
  getUpload,
  getUploadCommit,
  listUploadReceipts,
  listUploads,
  putUploadManifest,
  storeUploadBatch,
} from './uploads.js';
import { createMembership, createUser, deleteMembership, listMemberships, listUsers, updateUser } from './users.js';

/** The OpenAPI document of the Portal API. */
export const getApiDocs: Endpoint<unknown, unknown, unknown, unknown> = {
  id: 'getApiDocs',
  method: 'GET',
  path: '/api/docs',
  tag: 'docs',
  summary: 'This API as an OpenAPI 3.1 document',
  permission: 'anyone',
  authenticated: false,
  status: 200,
};

/**
 * Every endpoint of the Portal API, in documentation order.
 *
 * @example
 * for (const endpoint of ENDPOINTS) console.log(endpoint.method, endpoint.path);
 */
export const ENDPOINTS: readonly AnyEndpoint[] = [
  login,
  logout,
  getMe,
  setActiveStudy,
  changePassword,
  listApiTokens,
  createApiToken,
  revokeApiToken,
  listStudies,
  getStudy,
  createStudy,
  updateStudy,
  createSite,
  listEventDefinitions,
  createEventDefinition,
  createSlotDefinition,
  listSubjects,
  getSubject,
  enrolSubject,
  updateSubject,
  listSubjectEvents,
  scheduleEvent,
  listEventSlots,
  listStoredStudies,
  getStoredStudy,
  assignSlot,
  clearSlot,
  getSlotHistory,
  listUploads,
  createUpload,
  putUploadManifest,
  getUpload,
  storeUploadBatch,
  commitUpload,
  getUploadCommit,
  listUploadReceipts,
  listUsers,
  createUser,
  updateUser,
  listMemberships,
  createMembership,
  deleteMembership,
  listAudit,
  getMyMailAddress,
  setMyMailAddress,
  getNotificationSettings,
  updateNotificationSettings,
  listMailOutbox,
  previewOdmImport,
  importOdm,
  exportOdmClinicalData,
  downloadStudyZip,
  downloadSeriesZip,
  ...DICOMWEB_ENDPOINTS,
  getApiDocs,
];
