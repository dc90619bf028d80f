// Prometheus metrics (`GET /metrics`): HTTP requests by API and route, SCIM requests by connector,
// and, read when scraped, what needs an operator: open brake holds, running background jobs, the
// connectors by protocol and state, the database pool. Labels are bounded: routes are patterns, never
// URLs; connectors are ids. No user data is ever a label.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';

/** What a finished request tells the metrics. */
export interface FinishedRequest {
  method: string;
  /** The route pattern (`/scim/v2/:connectorId/Users/:id`), or undefined when nothing matched. */
  route: string | undefined;
  status: number;
  seconds: number;
  /** The connector a SCIM request authenticated as. */
  connectorId?: string;
}

interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const SCIM_RESOURCE = /^\/scim\/v[12]\/:connectorId\/([^/]+)/i;

export function apiOf(route: string | undefined): 'scim' | 'admin' | 'health' | 'other' {
  if (!route) return 'other';
  if (route.startsWith('/scim/')) return 'scim';
  if (route.startsWith('/api/')) return 'admin';
  if (route.startsWith('/health')) return 'health';
  return 'other';
}

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly duration: Histogram<'api' | 'method' | 'route' | 'status'>;
  private readonly scim: Counter<'connector' | 'method' | 'resource' | 'status'>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'roster_' });
    this.duration = new Histogram({
      name: 'roster_http_request_duration_seconds',
      help: 'HTTP requests by API (scim, admin, health, other), method, route pattern and status',
      labelNames: ['api', 'method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.scim = new Counter({
      name: 'roster_scim_requests_total',
      help: 'SCIM requests an IdP made, by connector, method, resource (Users, Groups, Bulk, ...) and status',
      labelNames: ['connector', 'method', 'resource', 'status'],
      registers: [this.registry],
    });
    const db = this.dataSource;
    new Gauge({
      name: 'roster_connectors',
      help: 'Connectors by protocol and whether they are enabled',
      labelNames: ['protocol', 'enabled'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: { protocol: string; enabled: boolean; n: number }[] = await db.query(`SELECT protocol, enabled, count(*)::int AS n FROM connectors GROUP BY 1, 2`);
        for (const r of rows) this.set({ protocol: r.protocol, enabled: String(r.enabled) }, r.n);
      },
    });
    new Gauge({
      name: 'roster_brake_holds_open',
      help: 'Deprovisions the mass-deprovisioning brake holds for an admin decision, by connector (alert on > 0)',
      labelNames: ['connector'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: { connector: string; n: number }[] = await db.query(
          `SELECT h.connector_id::text AS connector, count(d.*)::int AS n FROM deprovision_holds h LEFT JOIN deprovisions d ON d.hold_id = h.id WHERE h.status = 'open' GROUP BY 1`,
        );
        for (const r of rows) this.set({ connector: r.connector }, r.n);
      },
    });
    new Gauge({
      name: 'roster_jobs_running',
      help: 'Background jobs (re-projection, group re-evaluation) running',
      registers: [this.registry],
      async collect() {
        const [row]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM projection_jobs WHERE status = 'running'`);
        this.set(row.n);
      },
    });
    new Gauge({
      name: 'roster_db_pool_connections',
      help: 'Connections of the Postgres pool: total, idle, and requests waiting for one',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const pool = (db.driver as unknown as { master?: PoolLike }).master;
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  observe(request: FinishedRequest): void {
    const api = apiOf(request.route);
    const status = String(request.status);
    this.duration.observe({ api, method: request.method, route: request.route ?? 'unmatched', status }, request.seconds);
    if (api === 'scim' && request.connectorId) {
      const resource = SCIM_RESOURCE.exec(request.route!)?.[1] ?? 'root';
      this.scim.inc({ connector: request.connectorId, method: request.method, resource, status });
    }
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
