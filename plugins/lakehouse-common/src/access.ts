import { Classification } from './classification';
import { QualityGrade } from './quality';

/** Lifecycle of an access request (and of the grant it becomes). @public */
export const ACCESS_REQUEST_STATUSES = [
  'requested',
  'approved',
  'provisioning',
  'active',
  'expired',
  'revoked',
  'denied',
  'cancelled',
  'provisioning_failed',
] as const;

/** @public */
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];

/** Who decides next: the dataset's owner group, then (for pii/confidential) a steward. @public */
export type AccessReviewStep = 'owner' | 'steward';

/** One recorded transition. @public */
export interface AccessAuditEntry {
  at: string;
  actor: string;
  action: string;
  comment?: string;
  fromStatus?: AccessRequestStatus;
  toStatus?: AccessRequestStatus;
  requestId: string;
  grantId?: string;
  datasetId: string;
}

/** @public */
export interface AccessRequest {
  id: string;
  datasetId: string;
  datasetName: string;
  datasetTitle: string;
  /** User who asked. */
  requester: string;
  /** User or group the grant is for. */
  principal: string;
  /** Columns asked for; absent = the whole dataset. */
  columns?: string[];
  /** Most sensitive classification in scope. */
  classification?: Classification;
  purpose: string;
  justification: string;
  durationDays: number;
  status: AccessRequestStatus;
  /** Whose decision is awaited while `requested`. */
  step?: AccessReviewStep;
  /** Steps this request needs, in order. */
  steps: AccessReviewStep[];
  grantId?: string;
  /** The grant this request asks to extend. */
  extendsGrantId?: string;
  expiresAt?: string;
  error?: string;
  createdAt: string;
  updatedAt: string;
  /** The dataset's current quality grade, for reviewers. */
  qualityGrade?: QualityGrade;
  audit: AccessAuditEntry[];
}

/** Body of `POST /access/requests`. @public */
export interface CreateAccessRequest {
  datasetId: string;
  columns?: string[];
  purpose: string;
  justification: string;
  durationDays: number;
  principal?: string;
  extendsGrantId?: string;
}

/** @public */
export type AccessGrantStatus =
  | 'provisioning'
  | 'active'
  | 'expired'
  | 'revoked'
  | 'provisioning_failed';

/** Access someone has (or had) to a dataset. @public */
export interface AccessGrant {
  id: string;
  datasetId: string;
  principal: string;
  columns?: string[];
  status: AccessGrantStatus;
  requestId: string;
  requester: string;
  approvedBy: string[];
  provisioner: string;
  activatedAt?: string;
  expiresAt?: string;
  revokedAt?: string;
  revokedBy?: string;
  error?: string;
}

/** Default and longest duration per classification, in days. @public */
export const DEFAULT_ACCESS_DURATION_DAYS = 30;
