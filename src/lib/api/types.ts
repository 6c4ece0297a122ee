// Names for the API's shapes the UI passes around, all taken from the generated schema.d.ts (never written by hand).
import type { ApiResponse } from './client.ts';
import type { components } from './schema';

type Schemas = components['schemas'];

export type Role = Schemas['Role'];
export type User = Schemas['User'];
export type Organization = Schemas['Organization'];
export type Me = Schemas['Me'];
export type Member = Schemas['Member'];
export type Invite = Schemas['Invite'];
export type InvitePreview = Schemas['InvitePreview']['invite'];
export type ApiToken = Schemas['ApiToken'];

/** `stale`: the latest reading is older than the metric's frequency allows (plus a grace), so it says nothing now. */
export type Status = Schemas['Status'];
export type Assessment = Schemas['Assessment'];
export type Objective = Schemas['Objective'];
export type KeyResult = Schemas['KeyResult'];
export type Initiative = Schemas['Initiative'];
export type Portfolio = Schemas['Portfolio'];
export type Metric = Schemas['Metric'];
/** A metric as the portfolio lists it: with its recent readings. */
export type PortfolioMetric = Portfolio['metrics'][number];
export type StoredReading = Schemas['StoredReading'];
export type StatusOverride = Schemas['StatusOverride'];

export type Phase = Schemas['Phase'];
export type ReviewSummary = Schemas['ReviewSummary'];
export type Review = Schemas['Review'];
/** A read-only link to a closed review's minutes, replay and action items. */
export type ReviewShare = Schemas['ReviewShare'];

export type MapNode = Schemas['MapNode'];
export type Dependency = Schemas['Dependency'];
export type DependencyMap = Schemas['DependencyMap'];

/** A decision recorded as an action item with one accountable owner. */
export type ActionItem = Schemas['ActionItem'];
export type ActionStatus = ActionItem['status'];
export type ActionHistoryEntry = ApiResponse<'/api/actions/{actionId}', 'get'>['history'][number];
