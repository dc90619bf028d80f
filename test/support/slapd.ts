// A real OpenLDAP server for the LDAP suites: slapd with an mdb database in a temporary folder, on a
// free loopback port, seeded through the LDAP protocol. `.ci/run` installs slapd; on a machine without
// it the suites say so and do not run, and under CI a missing slapd fails them.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';

export const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
export const BASE_DN = 'dc=example,dc=com';
export const ADMIN_DN = `cn=admin,${BASE_DN}`;
export const ADMIN_PASSWORD = 'slapd-test-secret';

export interface Slapd {
  url: string;
  /** Runs `work` with a client bound as the directory's administrator. */
  admin<T>(work: (client: Client) => Promise<T>): Promise<T>;
  addPerson(uid: string, attributes?: Record<string, string | string[]>): Promise<string>;
  modify(dn: string, attribute: string, values: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Whether the LDAP suites can run here; under CI they must. */
export function slapdAvailable(): boolean {
  if (existsSync(SLAPD)) return true;
  if (process.env.CI) throw new Error(`${SLAPD} is missing: .ci/run installs it (apt-get install slapd), and CI must run the LDAP suites`);
  console.warn(`LDAP suites skipped: ${SLAPD} is not installed here (apt-get install slapd ldap-utils to run them)`);
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The directory's base and `ou=people`, as LDIF, for seeding many entries with slapadd. */
export function seedLdif(people: Iterable<string>): string {
  const head = [`dn: ${BASE_DN}`, 'objectClass: dcObject', 'objectClass: organization', 'dc: example', 'o: Example', '', `dn: ou=people,${BASE_DN}`, 'objectClass: organizationalUnit', 'ou: people', '', ''];
  return head.join('\n') + [...people].join('\n');
}

/** One inetOrgPerson under ou=people, as LDIF. */
export function personLdif(uid: string, attributes: Record<string, string> = {}): string {
  const lines = [`dn: uid=${uid},ou=people,${BASE_DN}`, 'objectClass: inetOrgPerson', `uid: ${uid}`, `cn: ${attributes.cn ?? uid}`, `sn: ${attributes.sn ?? uid}`];
  for (const [name, value] of Object.entries(attributes)) if (name !== 'cn' && name !== 'sn') lines.push(`${name}: ${value}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Starts slapd on a free loopback port. With `ldif`, the database is loaded offline with slapadd
 * first (50,000 entries in about a second), base entries included; without, the base entries are
 * added over LDAP.
 */
export async function startSlapd(options: { ldif?: string } = {}): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-slapd-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(
    join(dir, 'slapd.conf'),
    [
      ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${join(dir, 'slapd.pid')}`,
      'database mdb',
      'maxsize 104857600',
      `suffix "${BASE_DN}"`,
      `rootdn "${ADMIN_DN}"`,
      `rootpw ${ADMIN_PASSWORD}`,
      `directory ${join(dir, 'data')}`,
      'index objectClass eq',
      'index uid eq',
      '',
    ].join('\n'),
  );
  if (options.ldif !== undefined) {
    writeFileSync(join(dir, 'seed.ldif'), options.ldif);
    const load = spawnSync(SLAPADD, ['-q', '-f', join(dir, 'slapd.conf'), '-l', join(dir, 'seed.ldif')], { encoding: 'utf8' });
    if (load.status !== 0) throw new Error(`slapadd failed: ${load.stderr}`);
  }
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  // -d 0 keeps slapd in the foreground (so it stops with this process) without debug output.
  const child: ChildProcess = spawn(SLAPD, ['-f', join(dir, 'slapd.conf'), '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));

  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ url, timeout: 5000, connectTimeout: 5000 });
    try {
      await client.bind(ADMIN_DN, ADMIN_PASSWORD);
      return await work(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(async () => undefined);
      break;
    } catch (error) {
      if (attempt > 100 || child.exitCode !== null) throw new Error(`slapd did not start: ${(error as Error).message}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (options.ldif === undefined) {
    await admin(async (c) => {
      await c.add(BASE_DN, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' });
      await c.add(`ou=people,${BASE_DN}`, { objectClass: 'organizationalUnit', ou: 'people' });
    });
  }

  return {
    url,
    admin,
    async addPerson(uid, attributes = {}) {
      const dn = `uid=${uid},ou=people,${BASE_DN}`;
      await admin((c) => c.add(dn, { objectClass: ['inetOrgPerson'], uid, cn: uid, sn: uid, ...attributes }));
      return dn;
    },
    async modify(dn, attribute, values) {
      await admin((c) => c.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values }) })));
    },
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
