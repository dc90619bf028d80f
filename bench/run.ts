// `npm run bench`: whole workloads through HTTP against the built Roster on real Postgres, with the
// machine's ceiling (a bare Fastify + pg route, and raw pg statements) measured in the same run so
// results read as ratios. Every workload checks its results as it goes; errors are counted and fail
// the run. Writes a table to stdout and bench/results/latest.json.
//
//   npm run bench                 full run (20,000 users, a 100,000-member group)
//   npm run bench -- --smoke      a few hundred operations, to keep the script working (CI)
//   options: --concurrency N (16), --users N, --group-size N, --ldap-users N (50,000; needs slapd)
//   env: BENCH_DATABASE_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres)
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ADMIN_DN, ADMIN_PASSWORD, BASE_DN, personLdif, seedLdif, SLAPD, startSlapd } from '../test/support/slapd';
import { HttpClient, percentiles, runAlternating, runLoad, RunResult, timeEach } from './http-load';

const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SMOKE = flag('smoke');
const CONCURRENCY = option('concurrency', 16);
const USERS = option('users', SMOKE ? 300 : 20_000);
/** The server runs with the Node flags of `npm run start:prod` (the heap ceiling), as in production. */
const SERVER_FLAGS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'] as string).split(/\s+/).filter((a) => a.startsWith('--'));
/** Slices each comparison with a baseline alternates in. */
const ROUNDS = SMOKE ? 2 : 8;
const GROUP_SIZE = option('group-size', SMOKE ? 2_000 : 100_000);
const LDAP_USERS = option('ldap-users', SMOKE ? 200 : 50_000);
const BATCH = SMOKE ? 100 : 1_000;
const REPEATS = SMOKE ? 3 : 10;
const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

interface Row {
  workload: string;
  result: RunResult;
  baseline?: { name: string; perSecond?: number; p50?: number };
  /** Roster ÷ baseline throughput, or baseline latency ÷ Roster latency: higher is better. */
  ratio?: number;
  target?: string;
  met?: boolean;
}

const rows: Row[] = [];
const notes: string[] = [];
let failures = 0;

function record(row: Row) {
  rows.push(row);
  if (row.result.errors > 0) {
    failures++;
    notes.push(`${row.workload}: ${row.result.errors} errors, first: ${row.result.firstError}`);
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function check(condition: boolean, what: string) {
  if (!condition) {
    failures++;
    notes.push(`check failed: ${what}`);
  }
}

function oktaUser(i: number, run: string) {
  const given = `Given${i}`;
  const family = `Family${run}${i}`;
  const email = `${given}.${family}@bench.example`;
  return {
    schemas: [USER_SCHEMA],
    userName: email,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: `${given} ${family}`,
    locale: 'en-US',
    externalId: `00u${run}${i}`,
    groups: [],
    password: 'not-kept-1234',
    active: true,
  };
}

async function startProcess(command: string[], env: Record<string, string>, ready: (line: string) => boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, command, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.split('\n').some(ready)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`${command.join(' ')} did not start:\n${output}`)), 60_000).unref();
  });
  child.removeAllListeners('exit');
  return child;
}

/** Peak resident set size of a process, in MB (VmHWM). */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function waitHealthy(url: string) {
  for (let i = 0; i < 150; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never became ready`);
}

async function main() {
  const run = randomBytes(3).toString('hex');
  const database = `roster_bench_${run}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  const port = 3900 + Math.floor(Math.random() * 50);
  const adminToken = `bench-${run}-${randomBytes(12).toString('hex')}`;
  let roster: ChildProcess | undefined;
  let baseline: ChildProcess | undefined;
  const started = Date.now();
  try {
    // The server logs at warn level only, so readiness comes from /health/ready.
    // BENCH_CPU_PROF=<dir> profiles the server (node --cpu-prof) for finding hot spots.
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    roster = spawn(process.execPath, [...profile, ...SERVER_FLAGS, 'dist/src/main.js'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: adminToken, PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitHealthy(`http://127.0.0.1:${port}/health/ready`);
    const adminClient = new HttpClient(new URL(`http://127.0.0.1:${port}/api/v1`), { authorization: `Bearer ${adminToken}` });
    const created = await adminClient.request('POST', '/connectors', { name: 'bench', idp: 'okta' });
    if (created.status !== 201) throw new Error(`could not create a connector: ${created.status} ${created.body}`);
    const { scimBaseUrl, token } = created.json<{ scimBaseUrl: string; token: string }>();
    const scim = new HttpClient(new URL(scimBaseUrl), { authorization: `Bearer ${token}`, accept: 'application/scim+json' });

    // ---- 1, 2. creates and lookups, alternating with the baselines (same machine, concurrency, client) ----
    const basePort = port + 100;
    baseline = await startProcess(['-r', 'ts-node/register/transpile-only', 'bench/baseline-server.ts'], { DATABASE_URL: databaseUrl, PORT: String(basePort), TS_NODE_PROJECT: 'tsconfig.json' }, (l) => l === 'ready');
    const bare = new HttpClient(new URL(`http://127.0.0.1:${basePort}`));
    // In slices, each side in turn: the machine's speed drifts by tens of percent over a minute, and
    // a baseline measured before Roster made single runs' ratios wander from 0.46 to 0.65.
    const [bareInsert, createUsers] = await runAlternating(
      USERS,
      CONCURRENCY,
      ROUNDS,
      async (i) => {
        const res = await bare.request('POST', '/users', oktaUser(i, `b${run}`));
        return res.status === 201 || `status ${res.status}`;
      },
      async (i) => {
        const res = await scim.request('POST', '/Users', oktaUser(i, run));
        return res.status === 201 || `status ${res.status} ${res.body.slice(0, 120)}`;
      },
    );
    record({ workload: 'baseline: bare Fastify+pg insert', result: bareInsert });
    const [bareLookup, lookups] = await runAlternating(
      USERS,
      CONCURRENCY,
      ROUNDS,
      async (i) => {
        const res = await bare.request('GET', `/users?userName=${encodeURIComponent(oktaUser(i, `b${run}`).userName.toUpperCase())}`);
        return (res.status === 200 && res.json().totalResults === 1) || `status ${res.status} ${res.body.slice(0, 80)}`;
      },
      async (i) => {
        const userName = oktaUser((i * 7919) % USERS, run).userName.toUpperCase();
        const res = await scim.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);
        return (res.status === 200 && res.json().totalResults === 1) || `status ${res.status} ${res.body.slice(0, 120)}`;
      },
    );
    record({ workload: 'baseline: bare Fastify+pg lookup', result: bareLookup });
    bare.close();
    baseline.kill('SIGTERM');
    baseline = undefined;
    // The baseline's rows go before the other workloads, so autovacuum does not work on them during those.
    await withClient(databaseUrl, (c) => c.query('DROP TABLE baseline_users'));

    const createRatio = createUsers.perSecond / bareInsert.perSecond;
    record({ workload: `POST /Users (${USERS} Okta-shaped)`, result: createUsers, baseline: { name: 'bare insert', perSecond: bareInsert.perSecond }, ratio: createRatio, target: '>= 0.50', met: createRatio >= 0.5 });
    const count = await scim.request('GET', '/Users?count=0');
    check(count.json().totalResults === USERS, `totalResults after creating ${USERS} users is ${count.json().totalResults}`);
    const lookupRatio = lookups.perSecond / bareLookup.perSecond;
    record({ workload: 'GET /Users?filter=userName eq', result: lookups, baseline: { name: 'bare lookup', perSecond: bareLookup.perSecond }, ratio: lookupRatio, target: '>= 0.60', met: lookupRatio >= 0.6 });

    // Ids of every user, by paging (workload 6 measures this separately).
    // ids[i] is the id of oktaUser(i) (creation order is not i's order under concurrency).
    const ids: string[] = new Array(USERS);
    for (let start = 1; start <= USERS; start += 1000) {
      const page = await scim.request('GET', `/Users?startIndex=${start}&count=1000&attributes=userName`);
      for (const r of page.json().Resources as { id: string; userName: string }[]) ids[Number(/^Given(\d+)\./.exec(r.userName)![1])] = r.id;
    }
    check(ids.filter(Boolean).length === USERS && new Set(ids).size === USERS, `paging returned ${ids.length} users (${new Set(ids).size} distinct), expected ${USERS}`);

    // ---- 3. PUT updates and path-less PATCH deactivations ----
    const updates = Math.floor(USERS / 4);
    const puts = await runLoad(updates, CONCURRENCY, async (i) => {
      const body = { ...oktaUser(i, run), id: ids[i], title: `Title ${i}` };
      const res = await scim.request('PUT', `/Users/${ids[i]}`, body);
      return (res.status === 200 && res.json().title === `Title ${i}`) || `status ${res.status} ${res.body.slice(0, 120)}`;
    });
    record({ workload: 'PUT /Users/{id} (full update)', result: puts });
    const deactivations = await runLoad(updates, CONCURRENCY, async (i) => {
      const res = await scim.request('PATCH', `/Users/${ids[updates + i]}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] });
      return (res.status === 200 && res.json().active === false) || `status ${res.status} ${res.body.slice(0, 120)}`;
    });
    record({ workload: 'PATCH deactivate (path-less replace)', result: deactivations });
    const inactive = await scim.request('GET', `/Users?count=0&filter=${encodeURIComponent('active eq false')}`);
    check(inactive.json().totalResults === updates, `${inactive.json().totalResults} users inactive, expected ${updates}`);

    // ---- 4. a large group, then the cost of a change on it and on an empty group ----
    const groupIds = [...ids];
    const missing = GROUP_SIZE + 2 * BATCH - groupIds.length;
    for (let done = 0; done < missing; done += 1000) {
      const n = Math.min(1000, missing - done);
      const Operations = Array.from({ length: n }, (_, k) => ({ method: 'POST', path: '/Users', bulkId: `m${done + k}`, data: oktaUser(USERS + done + k, run) }));
      const res = await scim.request('POST', '/Bulk', { schemas: [BULK_SCHEMA], Operations });
      const results = res.json().Operations as { status: string; location: string }[];
      check(res.status === 200 && results.every((o) => o.status === '201'), `bulk user creation: ${res.status}`);
      groupIds.push(...results.map((o) => o.location.split('/').pop()!));
    }
    const newGroup = async (name: string) => (await scim.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: name, members: [] })).json().id as string;
    const big = await newGroup(`Big ${run}`);
    const members = (from: number, n: number) => groupIds.slice(from, from + n).map((value) => ({ value }));
    const patchMembers = (group: string, op: 'add' | 'remove', from: number, n: number) =>
      scim.request(
        'PATCH',
        `/Groups/${group}`,
        op === 'add'
          ? { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'members', value: members(from, n) }] }
          : { schemas: [PATCH_SCHEMA], Operations: members(from, n).map((m) => ({ op: 'remove', path: `members[value eq "${m.value}"]` })) },
      );
    const build = await runLoad(GROUP_SIZE / BATCH, 1, async (i) => {
      const res = await patchMembers(big, 'add', i * BATCH, BATCH);
      return res.status === 200 || `status ${res.status} ${res.body.slice(0, 120)}`;
    });
    record({ workload: `build a ${GROUP_SIZE}-member group (PATCH add x${BATCH})`, result: build });
    const size = await scim.request('GET', `/Groups?count=0&filter=${encodeURIComponent(`displayName eq "Big ${run}"`)}`);
    check(size.json().totalResults === 1, 'the big group is found by displayName');
    const bigCount = await new pg.Client({ connectionString: databaseUrl });
    await bigCount.connect();
    const [{ n }] = (await bigCount.query('SELECT count(*)::int AS n FROM scim_group_members WHERE group_id = $1', [big])).rows;
    check(n === GROUP_SIZE, `the big group has ${n} members, expected ${GROUP_SIZE}`);

    const empty = await newGroup(`Empty ${run}`);
    // Time each direction on its own: add (then undo, untimed), and remove (after an untimed add).
    const timeChange = async (group: string, op: 'add' | 'remove') => {
      const samples: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        if (op === 'remove') await patchMembers(group, 'add', GROUP_SIZE, BATCH);
        const t0 = process.hrtime.bigint();
        const res = await patchMembers(group, op, GROUP_SIZE, BATCH);
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
        check(res.status === 200, `${op} ${BATCH} members: ${res.status}`);
        if (op === 'add') await patchMembers(group, 'remove', GROUP_SIZE, BATCH);
      }
      return samples;
    };
    for (const op of ['add', 'remove'] as const) {
      const onBig = percentiles(await timeChange(big, op));
      const onEmpty = percentiles(await timeChange(empty, op));
      const ratio = onBig.p50 / onEmpty.p50;
      record({
        workload: `PATCH ${op} ${BATCH} members: ${GROUP_SIZE}-member group vs empty`,
        result: { operations: REPEATS, errors: 0, seconds: 0, perSecond: 0, ...onBig },
        baseline: { name: 'same on an empty group', p50: onEmpty.p50 },
        ratio,
        target: `<= 2x and p50 < 250 ms`,
        met: ratio <= 2 && onBig.p50 < 250,
      });
    }
    const [{ n: after }] = (await bigCount.query('SELECT count(*)::int AS n FROM scim_group_members WHERE group_id = $1', [big])).rows;
    check(after === GROUP_SIZE, `the big group has ${after} members after the add/remove rounds, expected ${GROUP_SIZE}`);

    // Raw pg: 1,000 memberships in one statement (the floor for the PATCH above).
    const raw = await bigCount.query(`CREATE TEMP TABLE raw_members (group_id uuid, member_id uuid, PRIMARY KEY (group_id, member_id))`).then(() =>
      timeEach(REPEATS, async (i) => {
        await bigCount.query(`INSERT INTO raw_members SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [big, groupIds.slice(i * BATCH, (i + 1) * BATCH)]);
      }),
    );
    record({ workload: `baseline: raw pg insert of ${BATCH} memberships`, result: { operations: REPEATS, errors: 0, seconds: 0, perSecond: 0, ...percentiles(raw) } });

    // ---- 5. concurrent PATCHes of one group ----
    const contested = await newGroup(`Contested ${run}`);
    const concurrent = await runLoad(50, 50, async (i) => {
      const res = await scim.request('PATCH', `/Groups/${contested}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'members', value: [{ value: ids[i] }] }] });
      return res.status === 200 || `status ${res.status}`;
    });
    record({ workload: '50 concurrent PATCH adds to one group', result: concurrent });
    const contestedBody = (await scim.request('GET', `/Groups/${contested}`)).json();
    const got = new Set((contestedBody.members as { value: string }[]).map((m) => m.value));
    check(ids.slice(0, 50).every((id) => got.has(id)) && got.size === 50, `the contested group has ${got.size} of 50 members`);

    // ---- 6. listing ----
    // Measured twice: right after the bulk load, when autovacuum has not yet analysed the new rows
    // (the planner then sorts the whole connector for a deep page), and after ANALYZE, which is the
    // steady state autovacuum reaches within minutes.
    const pageSize = 100;
    const pages = Math.ceil(USERS / pageSize);
    for (const analysed of [false, true]) {
      if (analysed) await bigCount.query('ANALYZE scim_users, scim_groups, scim_group_members');
      for (const [label, extra] of [
        ['all attributes', ''],
        ['excludedAttributes=groups,emails', '&excludedAttributes=groups,emails'],
      ] as const) {
        const seen = new Set<string>();
        const listing = await runLoad(pages, CONCURRENCY, async (i) => {
          const res = await scim.request('GET', `/Users?startIndex=${i * pageSize + 1}&count=${pageSize}${extra}`);
          if (res.status !== 200) return `status ${res.status}`;
          for (const r of res.json().Resources as { id: string }[]) seen.add(r.id);
          return true;
        });
        record({ workload: `list users, ${pageSize} per page (${label})${analysed ? ', after ANALYZE' : ', before autovacuum'}`, result: listing });
        check(seen.size >= USERS, `listing saw ${seen.size} users, expected at least ${USERS}`);
      }
    }
    await bigCount.end();
    scim.close();

    // ---- 7. a full LDAP sync of LDAP_USERS users from a slapd seeded for the purpose ----
    if (existsSync(SLAPD)) {
      const slapd = await startSlapd({ ldif: seedLdif(Array.from({ length: LDAP_USERS }, (_, i) => personLdif(`ldap${run}${i}`, { cn: `LDAP User ${i}`, givenName: 'LDAP', mail: `ldap${run}${i}@ldap.example`, title: 'Engineer' }))) });
      try {
        const made = await adminClient.request('POST', '/connectors', { name: 'bench ldap', idp: 'generic', protocol: 'ldap' });
        const ldapId = made.json<{ id: string }>().id;
        await adminClient.request('PUT', `/connectors/${ldapId}/ldap`, { url: slapd.url, bindDn: ADMIN_DN, bindPassword: ADMIN_PASSWORD, baseDn: `ou=people,${BASE_DN}`, syncGroups: false });
        for (const [label, expected] of [
          ['first sync: every user created', 'created'],
          ['second sync: nothing changed', 'unchanged'],
        ] as const) {
          const started = Date.now();
          const res = await adminClient.request('POST', `/connectors/${ldapId}/ldap/sync`);
          const seconds = (Date.now() - started) / 1000;
          const body = res.status === 200 ? res.json<Record<string, number>>() : {};
          const ok = res.status === 200 && body[expected] === LDAP_USERS && body.skippedCount === 0;
          check(ok, `LDAP ${label}: ${res.status} ${res.body.slice(0, 200)}`);
          record({
            workload: `LDAP full sync of ${LDAP_USERS} users (${label})`,
            result: { operations: LDAP_USERS, errors: ok ? 0 : 1, seconds, perSecond: LDAP_USERS / seconds, p50: seconds * 1000, p99: seconds * 1000, ...(ok ? {} : { firstError: res.body.slice(0, 200) }) },
          });
        }
      } finally {
        await slapd.stop();
      }
    } else {
      notes.push(`workload 7 (LDAP sync) not run: ${SLAPD} is not installed (apt-get install slapd)`);
    }
    adminClient.close();

    const rss = peakRssMb(roster.pid!);
    const summary = {
      when: new Date().toISOString(),
      smoke: SMOKE,
      concurrency: CONCURRENCY,
      users: USERS,
      groupSize: GROUP_SIZE,
      seconds: Math.round((Date.now() - started) / 1000),
      peakRssMb: rss,
      peakRssTargetMet: rss < 300,
      failures,
      notes,
      workloads: rows.map((r) => ({
        workload: r.workload,
        operations: r.result.operations,
        errors: r.result.errors,
        perSecond: Math.round(r.result.perSecond),
        p50Ms: round(r.result.p50),
        p99Ms: round(r.result.p99),
        ...(r.baseline ? { baseline: r.baseline.name, baselinePerSecond: r.baseline.perSecond && Math.round(r.baseline.perSecond), baselineP50Ms: r.baseline.p50 && round(r.baseline.p50) } : {}),
        ...(r.ratio !== undefined ? { ratio: round(r.ratio), target: r.target, met: r.met } : {}),
      })),
    };
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/latest.json'), JSON.stringify(summary, null, 2) + '\n');
    printTable(summary);
  } finally {
    baseline?.kill('SIGTERM');
    roster?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  if (failures > 0) {
    console.error(`\n${failures} check(s) failed:\n  ${notes.join('\n  ')}`);
    process.exit(1);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function printTable(summary: { workloads: Record<string, unknown>[]; peakRssMb: number; seconds: number; smoke: boolean; concurrency: number }) {
  const cols = ['workload', 'operations', 'errors', 'perSecond', 'p50Ms', 'p99Ms', 'ratio', 'target', 'met'];
  const cells = summary.workloads.map((w) => cols.map((c) => (w[c] === undefined ? '' : String(w[c]))));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  console.log(`\nRoster benchmark${summary.smoke ? ' (smoke)' : ''}: concurrency ${summary.concurrency}, ${summary.seconds} s, peak RSS ${summary.peakRssMb} MB\n`);
  console.log(line(cols));
  for (const row of cells) console.log(line(row));
  console.log('\nWritten to bench/results/latest.json');
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
