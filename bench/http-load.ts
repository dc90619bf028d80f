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
  return summarise([await measure(count, concurrency, op, maxSeconds)]);
}

/**
 * Two workloads of `count` operations each, run in `rounds` alternating slices (A then B, B then A,
 * and so on), so that a machine whose speed drifts over a minute weighs on both alike; each result
 * counts only its own slices. The benchmark compares Roster with its baseline this way.
 */
export async function runAlternating(
  count: number,
  concurrency: number,
  rounds: number,
  a: (i: number) => Promise<true | string>,
  b: (i: number) => Promise<true | string>,
  maxSeconds = 300,
): Promise<[RunResult, RunResult]> {
  const slice = Math.ceil(count / rounds);
  const parts: [Measured[], Measured[]] = [[], []];
  for (let round = 0, from = 0; from < count; round++, from += slice) {
    const n = Math.min(slice, count - from);
    for (const side of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const op = side === 0 ? a : b;
      parts[side].push(await measure(n, concurrency, (i) => op(from + i), maxSeconds / rounds));
    }
  }
  return [summarise(parts[0]), summarise(parts[1])];
}

interface Measured {
  latencies: number[];
  errors: number;
  seconds: number;
  firstError?: string;
}

async function measure(count: number, concurrency: number, op: (i: number) => Promise<true | string>, maxSeconds: number): Promise<Measured> {
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
  return { latencies, errors, seconds: Number(process.hrtime.bigint() - started) / 1e9, ...(firstError ? { firstError } : {}) };
}

function summarise(parts: Measured[]): RunResult {
  const latencies = parts.flatMap((p) => p.latencies);
  const seconds = parts.reduce((sum, p) => sum + p.seconds, 0);
  const errors = parts.reduce((sum, p) => sum + p.errors, 0);
  const firstError = parts.find((p) => p.firstError)?.firstError;
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
