import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Connector } from '../connectors/connector.entity';
import { Directory } from './directory.entity';

@Injectable()
export class DirectoriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  list(): Promise<Directory[]> {
    return this.dataSource.getRepository(Directory).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findById(id: string, em: EntityManager = this.dataSource.manager): Promise<Directory | null> {
    return em.findOneBy(Directory, { id });
  }

  /** Locks the row for the rest of the transaction. */
  findByIdForUpdate(id: string, em: EntityManager): Promise<Directory | null> {
    return em.getRepository(Directory).createQueryBuilder('d').setLock('pessimistic_write').where('d.id = :id', { id }).getOne();
  }

  findDefault(em: EntityManager = this.dataSource.manager): Promise<Directory | null> {
    return em.findOneBy(Directory, { isDefault: true });
  }

  async insert(values: Pick<Directory, 'name' | 'description'>, em: EntityManager): Promise<Directory> {
    const saved = await em.save(Directory, em.create(Directory, { ...values, isDefault: false }));
    return em.findOneByOrFail(Directory, { id: saved.id });
  }

  async update(id: string, values: Partial<Pick<Directory, 'name' | 'description' | 'isDefault'>>, em: EntityManager): Promise<Directory> {
    if (values.isDefault) {
      // Only one default at a time (uq_directories_default): clear the old one first.
      await em.update(Directory, { isDefault: true }, { isDefault: false });
    }
    await em.update(Directory, { id }, values);
    return em.findOneByOrFail(Directory, { id });
  }

  async delete(id: string, em: EntityManager): Promise<void> {
    await em.delete(Directory, { id });
  }

  async lockAll(em: EntityManager): Promise<number> {
    // Serialises deletions so two concurrent deletes cannot remove the last two directories.
    const rows: { id: string }[] = await em.query('SELECT id FROM directories FOR UPDATE');
    return rows.length;
  }

  countConnectors(directoryId: string, em: EntityManager): Promise<number> {
    return em.countBy(Connector, { directoryId });
  }
}
