import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { RosterConfig } from '../config/configuration';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation, pgError } from '../common/pg-errors';
import { AdminContext } from '../common/request-context';
import { generateToken, hashToken, tokenMatches } from '../common/tokens';
import { DirectoriesRepository } from '../directory/directories.repository';
import { Connector } from './connector.entity';
import { CreateConnectorDto, UpdateConnectorDto } from './connector.dto';
import { ConnectorCredentials, ConnectorsRepository } from './connectors.repository';
import { CredentialsCache } from './credentials-cache';
import { checkedExtensions, ConnectorSettings, settingsOf } from './connector-settings';

export interface IssuedToken {
  connector: Connector;
  token: string;
}

@Injectable()
export class ConnectorsService {
  private readonly credentials = new CredentialsCache();
  /**
   * The token last verified against each cached credentials object (which lives at most the cache's
   * 2 s): an IdP's burst presents the same token again and again, and a constant-time comparison with
   * it costs a fraction of hashing it. A new credentials object (reloaded, rotated) starts empty.
   */
  private readonly verified = new WeakMap<ConnectorCredentials, Buffer>();

  constructor(
    private readonly connectors: ConnectorsRepository,
    private readonly directories: DirectoriesRepository,
    private readonly audit: AuditService,
    @Inject(ConfigService) private readonly config: ConfigService<RosterConfig, true>,
  ) {}

  get publicUrl(): string {
    return this.config.get('app', { infer: true }).publicUrl;
  }

  list(): Promise<Connector[]> {
    return this.connectors.list();
  }

  async get(id: string): Promise<Connector> {
    return (await this.connectors.findById(id)) ?? notFound(id);
  }

  async create(ctx: AdminContext, dto: CreateConnectorDto): Promise<IssuedToken> {
    const settings: ConnectorSettings = {
      ...(dto.scimSchemaExtensions ? { scimSchemaExtensions: checkedExtensions(dto.scimSchemaExtensions) } : {}),
      ...(dto.identityLinking ? { identityLinking: dto.identityLinking } : {}),
    };
    const token = generateToken('rst');
    const connector = await this.guardConstraints(dto, () =>
      this.connectors.transaction(async (em) => {
        const directoryId = await this.targetDirectory(dto.directoryId, em);
        const created = await this.connectors.insert(
          {
            name: dto.name.trim(),
            idp: dto.idp,
            protocol: dto.protocol ?? 'scim2',
            directoryId,
            enabled: dto.enabled ?? true,
            settings,
            tokenHash: hashToken(token),
            tokenHint: hint(token),
            tokenCreatedAt: new Date(),
            previousTokenHash: null,
            previousTokenExpiresAt: null,
          },
          em,
        );
        await this.audit.record({ ...connectorAuditBase(ctx, created), action: 'connector.created', details: { name: created.name, idp: created.idp, protocol: created.protocol } }, em);
        return created;
      }),
    );
    return { connector, token };
  }

  async update(ctx: AdminContext, id: string, dto: UpdateConnectorDto): Promise<Connector> {
    return this.guardConstraints(dto, () =>
      this.connectors.transaction(async (em) => {
        const { scimSchemaExtensions, identityLinking, ...fields } = dto;
        const changes: Partial<Connector> = { ...fields };
        if (dto.name !== undefined) changes.name = dto.name.trim();
        if (scimSchemaExtensions !== undefined || identityLinking !== undefined) {
          const current = (await this.connectors.findById(id, em)) ?? notFound(id);
          changes.settings = {
            ...settingsOf(current),
            ...(scimSchemaExtensions !== undefined ? { scimSchemaExtensions: checkedExtensions(scimSchemaExtensions) } : {}),
            ...(identityLinking !== undefined ? { identityLinking } : {}),
          };
        }
        if (dto.directoryId !== undefined) {
          changes.directoryId = await this.targetDirectory(dto.directoryId, em);
          await this.assertMovable(id, changes.directoryId, em);
        }
        const connector = (await this.connectors.update(id, changes, em)) ?? notFound(id);
        await this.audit.record({ ...connectorAuditBase(ctx, connector), action: 'connector.updated', details: { changes } }, em);
        return connector;
      }),
    ).finally(() => this.credentials.invalidate(id));
  }

  /**
   * A connector that has received users or groups keeps its target directory: its records' directory
   * users live there (their links name them), so a move would leave them behind while new records
   * went to the new directory. Its IdP can push to a new connector targeting the other directory.
   */
  async assertMovable(id: string, directoryId: string, em: EntityManager): Promise<void> {
    const current = await this.connectors.findById(id, em);
    if (!current || current.directoryId === directoryId) return;
    const records = (await this.connectors.lockAndCountRecords(id, em))!;
    if (records.users > 0 || records.groups > 0) {
      throw DomainError.conflict(
        `Connector ${current.name} has already provisioned ${records.users} user(s) and ${records.groups} group(s) into its directory, so it cannot target another one; ` +
          'create a new connector for the other directory and point the IdP at it',
      );
    }
  }

  /**
   * Sets one key of the connector's settings (undefined removes it) with its audit record, in one
   * transaction holding the connector's row; the SCIM endpoint sees the change at once.
   */
  setSetting<K extends keyof ConnectorSettings>(
    ctx: AdminContext,
    id: string,
    key: K,
    value: ConnectorSettings[K] | undefined,
    action: string,
    /** What the audit record shows of the value (secrets left out); the value itself by default. */
    audited: unknown = value,
  ): Promise<Connector> {
    return this.connectors.transaction(async (em) => {
      const current = (await this.connectors.findCredentialsForUpdate(id, em)) ?? notFound(id);
      const settings: ConnectorSettings = { ...settingsOf(current) };
      if (value === undefined) delete settings[key];
      else settings[key] = value;
      const connector = (await this.connectors.update(id, { settings }, em))!;
      await this.audit.record({ ...connectorAuditBase(ctx, connector), action, details: { [key]: audited ?? null } }, em);
      return connector;
    }).finally(() => this.credentials.invalidate(id));
  }

  /** Drops the cached credentials of a connector changed outside this service (a configuration import). */
  forgetCredentials(id: string): void {
    this.credentials.invalidate(id);
  }

  setEnabled(ctx: AdminContext, id: string, enabled: boolean): Promise<Connector> {
    return this.connectors.transaction(async (em) => {
      const connector = (await this.connectors.update(id, { enabled }, em)) ?? notFound(id);
      await this.audit.record({ ...connectorAuditBase(ctx, connector), action: enabled ? 'connector.enabled' : 'connector.disabled' }, em);
      return connector;
    }).finally(() => this.credentials.invalidate(id));
  }

  async delete(ctx: AdminContext, id: string): Promise<void> {
    await this.connectors.transaction(async (em) => {
      const connector = (await this.connectors.delete(id, em)) ?? notFound(id);
      await this.audit.record({ ...connectorAuditBase(ctx, connector), action: 'connector.deleted', details: { name: connector.name } }, em);
    }).finally(() => this.credentials.invalidate(id));
  }

  /** A new token; the old one stays valid for `overlapSeconds` (0: revoked at once). */
  async rotateToken(ctx: AdminContext, id: string, overlapSeconds = 0): Promise<IssuedToken> {
    const token = generateToken('rst');
    const connector = await this.connectors.transaction(async (em) => {
      const current = (await this.connectors.findCredentialsForUpdate(id, em)) ?? notFound(id);
      const keepOld = overlapSeconds > 0;
      const updated = (await this.connectors.update(
        id,
        {
          tokenHash: hashToken(token),
          tokenHint: hint(token),
          tokenCreatedAt: new Date(),
          previousTokenHash: keepOld ? current.tokenHash : null,
          previousTokenExpiresAt: keepOld ? new Date(Date.now() + overlapSeconds * 1000) : null,
        },
        em,
      ))!;
      await this.audit.record({ ...connectorAuditBase(ctx, updated), action: 'connector.token_rotated', details: { overlapSeconds } }, em);
      return updated;
    }).finally(() => this.credentials.invalidate(id));
    return { connector, token };
  }

  /**
   * The connector a bearer token opens, or null. A token opens only its own connector: the id in
   * the URL picks the connector, and the token must match that connector's hash.
   */
  async authenticate(id: string, token: string): Promise<ConnectorCredentials | null> {
    const connector = await this.credentials.get(id, (key) => this.connectors.findCredentials(key));
    if (!connector) return null;
    const presented = Buffer.from(token, 'utf8');
    const known = this.verified.get(connector);
    if (known && known.length === presented.length && timingSafeEqual(known, presented)) return connector;
    if (tokenMatches(token, connector.tokenHash)) {
      this.verified.set(connector, presented);
      return connector;
    }
    const overlapOpen = connector.previousTokenExpiresAt !== null && connector.previousTokenExpiresAt > new Date();
    return overlapOpen && tokenMatches(token, connector.previousTokenHash) ? connector : null;
  }

  private async targetDirectory(directoryId: string | undefined, em: EntityManager): Promise<string> {
    const directory = directoryId ? await this.directories.findById(directoryId, em) : await this.directories.findDefault(em);
    if (!directory) {
      throw DomainError.invalid(`Directory ${directoryId ?? '(default)'} does not exist`, [{ field: 'directoryId', problems: ['directory does not exist'] }]);
    }
    return directory.id;
  }

  private async guardConstraints<T>(dto: { name?: string }, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error, 'uq_connectors_name')) throw DomainError.conflict(`A connector named "${dto.name}" already exists`);
      // The directory was deleted between our check and the insert.
      if (pgError(error)?.code === '23503') throw DomainError.invalid('The target directory does not exist', [{ field: 'directoryId', problems: ['directory does not exist'] }]);
      throw error;
    }
  }
}

function hint(token: string): string {
  return token.slice(0, 8);
}

function notFound(id: string): never {
  throw DomainError.notFound('Connector', id);
}

/** The audit fields of an admin change to a connector (its mapping included). */
export function connectorAuditBase(ctx: AdminContext, connector: Connector) {
  return { actor: ctx.actor, requestId: ctx.requestId, connectorId: connector.id, directoryId: connector.directoryId, targetType: 'connector', targetId: connector.id };
}
