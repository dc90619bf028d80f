// The embedded default: a real Postgres (PGlite, Postgres compiled to WASM) kept in a local folder and
// served on a loopback port, so the normal `pg` driver and TypeORM talk to it exactly as to a server.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';

export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
    readonly dataDir: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir);
    // PGlite executes one query at a time; one connection keeps transactions from interleaving.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    return new EmbeddedPostgres(db, server, url, dataDir);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
