import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CreateScanRequest,
  CreateScanResponse,
  DriftAuditEvent,
  DriftAuditLog,
  DriftFinding,
  DriftHealth,
  DriftScan,
  DriftStatistics,
  DriftTrends,
  EntityDriftSummary,
  EnvironmentComparison,
  FindingDetails,
  FindingNoteRequest,
  FindingPage,
  GateResult,
  IncidentLink,
  LinkIncidentRequest,
  ListEventsRequest,
  ListFindingsRequest,
  ListResourcesRequest,
  MonitoredResource,
  ResourcePage,
  ReviewExportFormat,
  ReviewReport,
  ReviewReportRequest,
  RoutingPolicy,
  RoutingSummary,
  StatisticsRequest,
  SuppressFindingRequest,
  SurfaceArea,
  SurfaceFilter,
  TimeWindow,
  TrendsRequest,
} from '@driftwatch/plugin-drift-common';
import type { DriftApi, ExportedFile } from './DriftApi';

type QueryValue = string | number | boolean | undefined | null;
type Query = Record<string, QueryValue | readonly QueryValue[]>;

/**
 * Encodes query parameters the way the backend's OpenAPI spec reads them: arrays as repeated
 * parameters (`?status=active&status=acknowledged`), every value URL-encoded (entity refs
 * carry `:` and `/`).
 */
export function toQueryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v !== undefined && v !== null && v !== '')
        params.append(key, String(v));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const EXTENSIONS: Record<ReviewExportFormat, string> = {
  csv: 'csv',
  markdown: 'md',
};

/** The file name of a `Content-Disposition: attachment; filename="..."` header. */
function attachmentName(header: string | null): string | undefined {
  const match = header?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match ? decodeURIComponent(match[1]) : undefined;
}

/**
 * Talks to the `drift` backend plugin through Backstage's discovery and fetch APIs, so the
 * user's token and the backend's base URL are handled the way every other plugin does.
 *
 * @public
 */
export class DriftClient implements DriftApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<DriftHealth> {
    return this.json('/health');
  }

  async listFindings(request: ListFindingsRequest = {}): Promise<FindingPage> {
    return this.json(`/findings${toQueryString({ ...request })}`);
  }

  async getFinding(id: string): Promise<FindingDetails> {
    return this.json(`/findings/${encodeURIComponent(id)}`);
  }

  async acknowledgeFinding(
    id: string,
    options: FindingNoteRequest = {},
  ): Promise<DriftFinding> {
    return this.post(
      `/findings/${encodeURIComponent(id)}/acknowledge`,
      withoutBlanks(options),
    );
  }

  async suppressFinding(
    id: string,
    options: SuppressFindingRequest,
  ): Promise<DriftFinding> {
    return this.post(`/findings/${encodeURIComponent(id)}/suppress`, options);
  }

  async reopenFinding(
    id: string,
    options: FindingNoteRequest = {},
  ): Promise<DriftFinding> {
    return this.post(
      `/findings/${encodeURIComponent(id)}/reopen`,
      withoutBlanks(options),
    );
  }

  async getEntitySummary(entityRef: string): Promise<EntityDriftSummary> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const path = [kind, namespace, name].map(encodeURIComponent).join('/');
    return this.json(`/entities/${path}/summary`);
  }

  async getEntityEnvironments(
    entityRef: string,
  ): Promise<EnvironmentComparison> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const path = [kind, namespace, name].map(encodeURIComponent).join('/');
    return this.json(`/entities/${path}/environments`);
  }

  async getSurface(filter: SurfaceFilter = {}): Promise<SurfaceArea> {
    return this.json(`/surface${toQueryString({ ...filter })}`);
  }

  async listResources(
    request: Omit<ListResourcesRequest, 'limit' | 'cursor'> = {},
  ): Promise<MonitoredResource[]> {
    // The backend pages the surface area; read it page by page, at the largest page size.
    const items: MonitoredResource[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.json<ResourcePage>(
        `/resources${toQueryString({ ...request, limit: 500, cursor })}`,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  async getStatistics(
    request: StatisticsRequest = {},
  ): Promise<DriftStatistics> {
    return this.json(`/statistics${toQueryString({ ...request })}`);
  }

  async getTrends(request: TrendsRequest = {}): Promise<DriftTrends> {
    return this.json(`/trends${toQueryString({ ...request })}`);
  }

  async listEvents(
    request: ListEventsRequest = {},
  ): Promise<DriftAuditEvent[]> {
    const body = await this.json<DriftAuditLog>(
      `/events${toQueryString({ ...request })}`,
    );
    return body.items;
  }

  async getReviewReport(window: TimeWindow = {}): Promise<ReviewReport> {
    const request: ReviewReportRequest = { ...window, format: 'json' };
    return this.json(`/report${toQueryString({ ...request })}`);
  }

  async exportReviewReport(
    request: TimeWindow & { format: ReviewExportFormat },
  ): Promise<ExportedFile> {
    const response = await this.request(
      `/report${toQueryString({ ...request })}`,
    );
    const contentType = response.headers.get('content-type') ?? 'text/plain';
    // Cross-origin responses only expose Content-Disposition when CORS allows it; the
    // fallback follows the backend's naming.
    const day = (iso?: string) => (iso ? iso.slice(0, 10) : undefined);
    const span = [day(request.from), day(request.to)].filter(Boolean).join('-');
    const filename =
      attachmentName(response.headers.get('content-disposition')) ??
      `drift-review${span ? `-${span}` : ''}.${EXTENSIONS[request.format]}`;
    return { filename, contentType, content: await response.text() };
  }

  async createScan(
    options: CreateScanRequest = {},
  ): Promise<CreateScanResponse> {
    return this.post('/scans', options);
  }

  async getScan(id: string): Promise<DriftScan> {
    return this.json(`/scans/${encodeURIComponent(id)}`);
  }

  async getRoutingPolicy(): Promise<RoutingPolicy> {
    return this.json('/routing/policy');
  }

  async getRoutingSummary(window: TimeWindow = {}): Promise<RoutingSummary> {
    return this.json(`/routing/summary${toQueryString({ ...window })}`);
  }

  async getGate(entityRef: string): Promise<GateResult> {
    return this.json(`/gate${toQueryString({ entityRef })}`);
  }

  async linkIncident(
    findingId: string,
    request: LinkIncidentRequest,
  ): Promise<IncidentLink> {
    // A blank title would name the link; without one the URL does.
    const title = request.title?.trim();
    return this.post(`/findings/${encodeURIComponent(findingId)}/incidents`, {
      url: request.url.trim(),
      ...(title ? { title } : {}),
    });
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('drift');
    const response = await (init
      ? this.fetchApi.fetch(`${baseUrl}${path}`, init)
      : this.fetchApi.fetch(`${baseUrl}${path}`));
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async json<T>(path: string): Promise<T> {
    return (await (await this.request(path)).json()) as T;
  }

  private async post<T>(path: string, body: object): Promise<T> {
    const response = await this.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as T;
  }
}

/** The backend rejects unknown or empty optional fields less kindly than absent ones. */
function withoutBlanks(options: FindingNoteRequest): FindingNoteRequest {
  const note = options.note?.trim();
  return note ? { note } : {};
}
