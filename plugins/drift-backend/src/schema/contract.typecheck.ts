import type { internal } from '@backstage/backend-openapi-utils';
import type * as Api from '@driftwatch/plugin-drift-common';
import type { spec } from './openapi.generated';

// The compile-time half of the API contract (contract.test.ts is the runtime half): `yarn tsc`
// fails when drift-common's request and response types and the types the typed router infers
// from openapi.yaml stop fitting each other. Nothing imports this file; tsc checks it.

type Spec = typeof spec;
type Path = internal.DocPath<Spec>;
type Method<P extends Path> = internal.DocPathMethod<Spec, P>;

/** The JSON body of the response `Status` of `Method Path`, as the spec describes it. */
type SpecResponse<
  P extends Path,
  M extends Method<P>,
  Status extends keyof internal.ResponseSchemas<Spec, P, M>,
> = internal.ToTypeSafe<internal.ResponseSchemas<Spec, P, M>[Status]>;

/** The query parameters of `Method Path`, as the router receives them. */
type SpecQuery<P extends Path, M extends Method<P>> = internal.QuerySchema<Spec, P, M>;

/** The JSON request body of `Method Path`. */
type SpecBody<P extends Path, M extends Method<P>> = internal.RequestBodyToJsonSchema<Spec, P, M>;

/** Compiles only when `From` fits `To`; tsc's error names the field that does not. */
type Fits<From extends To, To> = From;

/**
 * Both ways: the server's values (`A`) fit the spec (`B`), and what the spec promises fits the
 * client's type. `C` is `A` as JSON Schema can state it, where the type says more than a schema can.
 */
type Same<A extends B, B extends C, C = A> = [A, B];

/**
 * A finding with changes as JSON Schema can state them: the engine's JSON values of `desired`,
 * `live` and `default` are `unknown` in the spec.
 */
type FindingAsSpecStatesIt = Omit<Api.DriftFinding, 'changes'> & {
  changes: Array<
    Omit<Api.Change, 'desired' | 'live' | 'default'> & { desired: unknown; live: unknown; default?: unknown }
  >;
};
type WithFindingsAsSpecStatesThem<T, K extends keyof T> = Omit<T, K> & { [P in K]: FindingAsSpecStatesIt[] };

export type ResponsesMatchTheSpec = [
  Same<Api.DriftHealth, SpecResponse<'/health', 'get', '200'>>,
  Same<Api.DriftUnavailable, SpecResponse<'/health', 'get', '503'>>,
  Same<Api.DriftFinding, SpecResponse<'/findings/{id}/acknowledge', 'post', '200'>, FindingAsSpecStatesIt>,
  Same<Api.DriftFinding, SpecResponse<'/findings/{id}/suppress', 'post', '200'>, FindingAsSpecStatesIt>,
  Same<Api.DriftFinding, SpecResponse<'/findings/{id}/reopen', 'post', '200'>, FindingAsSpecStatesIt>,
  Same<
    Api.FindingPage,
    SpecResponse<'/findings', 'get', '200'>,
    WithFindingsAsSpecStatesThem<Api.FindingPage, 'items'>
  >,
  Same<
    Api.FindingDetails,
    SpecResponse<'/findings/{id}', 'get', '200'>,
    Omit<Api.FindingDetails, 'finding'> & { finding: FindingAsSpecStatesIt }
  >,
  Same<Api.IncidentLink, SpecResponse<'/findings/{id}/incidents', 'post', '201'>>,
  // JSON Schema's arrays of two are plain arrays to json-schema-to-ts; the pairs are tuples.
  Fits<Api.EnvironmentComparison, SpecResponse<'/entities/{kind}/{namespace}/{name}/environments', 'get', '200'>>,
  Same<Api.EntityDriftSummary, SpecResponse<'/entities/{kind}/{namespace}/{name}/summary', 'get', '200'>>,
  Same<Api.ResourcePage, SpecResponse<'/resources', 'get', '200'>>,
  Same<Api.SurfaceArea, SpecResponse<'/surface', 'get', '200'>>,
  Same<Api.DriftStatistics, SpecResponse<'/statistics', 'get', '200'>>,
  Same<Api.DriftAuditLog, SpecResponse<'/events', 'get', '200'>>,
  Same<Api.DriftTrends, SpecResponse<'/trends', 'get', '200'>>,
  Same<
    Api.ReviewReport,
    SpecResponse<'/report', 'get', '200'>,
    WithFindingsAsSpecStatesThem<Api.ReviewReport, 'newFindings' | 'resolved' | 'stillOpen' | 'breaches'>
  >,
  Same<Api.RoutingPolicy, SpecResponse<'/routing/policy', 'get', '200'>>,
  Same<Api.RoutingSummary, SpecResponse<'/routing/summary', 'get', '200'>>,
  Same<Api.GateResult, SpecResponse<'/gate', 'get', '200'>>,
  Same<Api.CreateScanResponse, SpecResponse<'/scans', 'post', '202'>>,
  Same<Api.DriftScan, SpecResponse<'/scans/{id}', 'get', '200'>>,
];

// What the router receives fits the store's filters and drift-common's requests; request types
// may be looser than the spec (free strings where the spec lists values), not the other way.
export type RequestsMatchTheSpec = [
  Fits<SpecQuery<'/findings', 'get'>, Api.ListFindingsRequest>,
  Fits<SpecQuery<'/resources', 'get'>, Api.ListResourcesRequest>,
  Fits<SpecQuery<'/surface', 'get'>, Api.SurfaceFilter>,
  Fits<SpecQuery<'/statistics', 'get'>, Api.StatisticsRequest>,
  Fits<SpecQuery<'/events', 'get'>, Api.ListEventsRequest>,
  Fits<SpecQuery<'/trends', 'get'>, Api.TrendsRequest>,
  Fits<SpecQuery<'/report', 'get'>, Api.ReviewReportRequest>,
  Fits<SpecQuery<'/routing/summary', 'get'>, Api.TimeWindow>,
  Same<Api.GateRequest, SpecQuery<'/gate', 'get'>>,
  Same<Api.FindingNoteRequest, SpecBody<'/findings/{id}/acknowledge', 'post'>>,
  Same<Api.FindingNoteRequest, SpecBody<'/findings/{id}/reopen', 'post'>>,
  Same<Api.SuppressFindingRequest, SpecBody<'/findings/{id}/suppress', 'post'>>,
  Same<Api.LinkIncidentRequest, SpecBody<'/findings/{id}/incidents', 'post'>>,
  Same<Api.CreateScanRequest, SpecBody<'/scans', 'post'>>,
];
