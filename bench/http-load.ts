// A small HTTP load generator for loopback benchmarks: keep-alive sockets, bounded concurrency, every
// response checked by the caller, latencies recorded per request. node:http rather than fetch, which
// costs several times more CPU per request on the same two cores the server under test uses.
import http from 'node:http';

export interface Response {
  status: number;
  body: string;
  json<T = any>(): T;
}

export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly base: URL,
    private readonly headers: Record<string, string> = {},
    sockets = 64,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  request(method: string, path: string, body?: unknown): Promise<Response> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          host: this.base.hostname,
          port: this.base.port,
          method,
          path: this.base.pathname.replace(/\/$/, '') + path,
          headers: {
            ...this.headers,
            ...(payload !== undefined ? { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface RunResult {
  operations: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  firstError?: string;
}

/**
 * Runs `count` operations with at most `concurrency` in flight; `op(i)` returns true when the
 * response was the expected one. Stops on its own after `count` operations or `maxSeconds`.
 */
export async function runLoad(count: number, concurrency: number, op: (i: number) => Promise<true | string>, maxSeconds = 300): Promise<RunResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + maxSeconds * 1000;
  const worker = async () => {
    while (next < count && Date.now() < deadline) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      let outcome: true | string;
      try {
        outcome = await op(i);
      } catch (error) {
        outcome = String(error);
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (outcome !== true) {
        errors++;
        firstError ??= outcome;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { operations: latencies.length, errors, seconds, perSecond: latencies.length / seconds, ...percentiles(latencies), ...(firstError ? { firstError } : {}) };
}

export function percentiles(values: number[]): { p50: number; p99: number } {
  if (values.length === 0) return { p50: 0, p99: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

/** Times `op` `times` times in sequence; returns the latencies in ms. */
export async function timeEach(times: number, op: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}
