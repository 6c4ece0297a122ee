// Shapes of the API's JSON responses (see /api/openapi.json).
export type Role = 'admin' | 'member';

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Organization {
  id: string;
  name: string;
  role: Role;
}

export interface Me {
  user: User;
  organizations: Organization[];
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}

export interface Invite {
  id: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'accepted' | 'expired' | 'revoked';
  acceptedBy: { id: string; name: string } | null;
}

export interface InvitePreview {
  organization: { id: string; name: string };
  role: Role;
  expiresAt: string;
  invitedBy: { name: string } | null;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** `stale`: the latest reading is older than the metric's frequency allows (plus a grace), so it says nothing now. */
export type Status = 'on track' | 'at risk' | 'off track' | 'no data' | 'stale';
export type Trend = 'improving' | 'worsening' | 'steady' | 'unknown';

export interface Person {
  id: string;
  name: string;
}

export interface Assessment {
  status: Status;
  slip: number | null;
  trend: Trend;
  latest: { at: string; value: number } | null;
  /** When the latest reading became too old to trust (status `stale`); null while fresh. */
  staleSince: string | null;
}

export interface Metric {
  id: string;
  name: string;
  description: string;
  unit: 'number' | 'currency' | 'percent' | 'duration';
  currency: string | null;
  direction: 'higher' | 'lower' | 'range';
  baseline: number;
  target: number;
  rangeMin: number | null;
  rangeMax: number | null;
  /** The metric's own bounds for plausible readings; null: none (0–100 for a percent metric). */
  plausibleMin: number | null;
  plausibleMax: number | null;
  startAt: string;
  targetAt: string;
  slipThreshold: number;
  frequency: 'daily' | 'weekly' | 'monthly' | 'quarterly';
  owner: Person;
  initiativeIds: string[];
  assessment: Assessment;
  /** The owner's stated status, shown beside the computed one. */
  override: {
    status: Exclude<Status, 'no data' | 'stale'>;
    reason: string;
    setBy: Person | null;
    setAt: string;
  } | null;
  history: { at: string; value: number }[];
}

export interface Initiative {
  id: string;
  title: string;
  description: string;
  owner: Person;
  team: string;
  keyResultId: string | null;
  plannedValue: number | null;
  realizedValue: number | null;
  currency: string | null;
  startAt: string | null;
  targetAt: string | null;
  links: { label: string; url: string }[];
  metricIds: string[];
  status: { delivery: Status; value: Status; valueSlip: number | null; moneyAtRisk: number };
}

export interface Objective {
  id: string;
  title: string;
  description: string;
  owner: Person;
}

export interface KeyResult {
  id: string;
  objectiveId: string;
  title: string;
  metricId: string | null;
}

export interface Portfolio {
  objectives: Objective[];
  keyResults: KeyResult[];
  initiatives: Initiative[];
  metrics: Metric[];
}

export type RoomRole = 'facilitator' | 'owner' | 'viewer';
export type ReviewStatus = 'scheduled' | 'live' | 'closed';
export type Phase = 'check-in' | 'metrics' | 'triage' | 'commitments' | 'wrap-up';

export interface ReviewSummary {
  id: string;
  organizationId: string;
  series: { id: string; title: string } | null;
  title: string;
  scheduledAt: string;
  status: ReviewStatus;
  phase: Phase;
  startedAt: string | null;
  closedAt: string | null;
  metricIds: string[];
  initiativeIds: string[];
}

export interface ScopedItem {
  id: string;
  title: string;
  status: Status;
  ownerId: string;
}

export interface Review extends ReviewSummary {
  participants: { userId: string; name: string; email: string; role: RoomRole }[];
  metrics: ScopedItem[];
  initiatives: ScopedItem[];
  me: { role: RoomRole; readOnly: boolean; canFacilitate: boolean };
}

export interface MapNode {
  id: string;
  title: string;
  team: string;
  owner: Person;
  keyResultId: string | null;
  objectiveId: string | null;
  status: Status;
  delivery: Status;
  value: Status;
  moneyAtStake: number;
  moneyAtRisk: number;
  currency: string | null;
  metricIds: string[];
  forecastAt: string | null;
  /** What it inherits from upstream, with the chain from the slipping initiative down to its direct dependency. */
  inheritedRisk: { status: 'at risk' | 'off track'; via: { id: string; title: string }[] } | null;
}

export type DependencyRisk = 'ok' | 'at risk' | 'off track' | 'late';

export interface Dependency {
  id: string;
  dependentId: string;
  dependencyId: string;
  note: string;
  neededBy: string | null;
  requester: Person;
  provider: Person;
  risk: DependencyRisk;
  daysLate: number | null;
}

export interface DependencyMap {
  nodes: MapNode[];
  edges: Dependency[];
  /** Per key result, the critical chain of initiatives towards it (absent on a filtered map). */
  keyResults?: { keyResultId: string; title: string; initiativeIds: string[] }[];
}

export type ActionStatus = 'proposed' | 'committed' | 'done' | 'dropped';

/** A decision recorded as an action item with one accountable owner (server/http/action-schemas.ts). */
export interface ActionItem {
  id: string;
  organizationId: string;
  reviewId: string | null;
  itemId: string | null;
  title: string;
  owner: { id: string; name: string };
  dueDate: string;
  initiativeId: string | null;
  metricId: string | null;
  status: ActionStatus;
  dropReason: string | null;
  version: number;
  overdue: boolean;
  createdAt: string;
  committedAt: string | null;
  proposedDueDate: string | null;
  expectedEffect: { maxSlip: number; by: string } | null;
  verification: 'verified' | 'not_verified' | null;
  verifiedAt: string | null;
}

export interface ActionHistoryEntry {
  at: string;
  actor: { id: string; name: string } | null;
  change: string;
  data: Record<string, unknown>;
}
