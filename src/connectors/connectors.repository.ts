import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Connector } from './connector.entity';

export type ConnectorCredentials = Pick<Connector, 'id' | 'enabled' | 'directoryId' | 'idp' | 'protocol' | 'settings' | 'tokenHash' | 'previousTokenHash' | 'previousTokenExpiresAt'>;

@Injectable()
export class ConnectorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  list(): Promise<Connector[]> {
    return this.dataSource.getRepository(Connector).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findById(id: string, em: EntityManager = this.dataSource.manager): Promise<Connector | null> {
    return em.findOneBy(Connector, { id });
  }

  /** The connector with its token hashes, which are never selected otherwise. */
  findCredentials(id: string): Promise<ConnectorCredentials | null> {
    return this.credentialsQuery(this.dataSource.manager, id).getOne();
  }

  findCredentialsForUpdate(id: string, em: EntityManager): Promise<ConnectorCredentials | null> {
    return this.credentialsQuery(em, id).setLock('pessimistic_write').getOne();
  }

  private credentialsQuery(em: EntityManager, id: string) {
    return em
      .getRepository(Connector)
      .createQueryBuilder('c')
      .select(['c.id', 'c.enabled', 'c.directoryId', 'c.idp', 'c.protocol', 'c.settings', 'c.previousTokenExpiresAt'])
      .addSelect(['c.tokenHash', 'c.previousTokenHash'])
      .where('c.id = :id', { id });
  }

  /**
   * How many users and groups the connector has received, with its row locked FOR UPDATE, which waits
   * for creates in flight (their foreign-key check holds the row FOR KEY SHARE) and holds off new ones.
   */
  async lockAndCountRecords(id: string, em: EntityManager): Promise<{ users: number; groups: number } | null> {
    const [row] = await em.query(
      `SELECT (SELECT count(*) FROM scim_users WHERE connector_id = c.id)::int AS users, (SELECT count(*) FROM scim_groups WHERE connector_id = c.id)::int AS groups
       FROM connectors c WHERE c.id = $1 FOR UPDATE OF c`,
      [id],
    );
    return row ?? null;
  }

  async insert(values: Omit<Connector, 'id' | 'createdAt' | 'updatedAt'>, em: EntityManager): Promise<Connector> {
    const saved = await em.save(Connector, em.create(Connector, values));
    return em.findOneByOrFail(Connector, { id: saved.id });
  }

  async update(id: string, values: Partial<Connector>, em: EntityManager): Promise<Connector | null> {
    const result = await em.update(Connector, { id }, values);
    return result.affected ? em.findOneByOrFail(Connector, { id }) : null;
  }

  async delete(id: string, em: EntityManager): Promise<Connector | null> {
    const connector = await em.findOneBy(Connector, { id });
    if (connector) await em.delete(Connector, { id });
    return connector;
  }
}
