// Connector credentials kept in memory for a moment, so a SCIM request does not pay a database
// round trip to authenticate: IdPs send bursts of requests with the same token. Every change made
// through this process (rotate, disable, delete...) invalidates the entry at once; another instance
// of Roster sees a change within TTL_MS. A lookup that raced an invalidation is not cached.
import { ConnectorCredentials } from './connectors.repository';

const TTL_MS = 2000;
const MAX_ENTRIES = 10_000;

export class CredentialsCache {
  private readonly entries = new Map<string, { credentials: ConnectorCredentials; until: number }>();
  private generation = 0;

  async get(id: string, load: (id: string) => Promise<ConnectorCredentials | null>): Promise<ConnectorCredentials | null> {
    const hit = this.entries.get(id);
    if (hit && hit.until > Date.now()) return hit.credentials;
    const generation = this.generation;
    const credentials = await load(id);
    // Only connectors that exist are kept, so unknown ids cannot grow the map.
    if (credentials && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(id, { credentials, until: Date.now() + TTL_MS });
    }
    return credentials;
  }

  invalidate(id: string): void {
    this.generation++;
    this.entries.delete(id);
  }
}
