import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RosterConfig } from '../config/configuration';
import { DatabaseEndpoint } from './database-endpoint';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';

const logger = new Logger('Database');

@Global()
@Module({
  providers: [
    {
      provide: DatabaseEndpoint,
      inject: [ConfigService],
      useFactory: (config: ConfigService<RosterConfig, true>) =>
        DatabaseEndpoint.resolve(config.get('database', { infer: true }), logger),
    },
  ],
  exports: [DatabaseEndpoint],
})
class DatabaseEndpointModule implements OnApplicationShutdown {
  constructor(
    @Inject(DatabaseEndpoint) private readonly endpoint: DatabaseEndpoint,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.endpoint.embedded) return;
    // The pool must be closed before the embedded server goes away, whatever order Nest picks.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource?.isInitialized) await dataSource.destroy();
    await this.endpoint.embedded.stop();
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseEndpointModule],
      inject: [DatabaseEndpoint],
      useFactory: (endpoint: DatabaseEndpoint) =>
        dataSourceOptions(endpoint.url, { poolSize: endpoint.embedded ? 1 : 10, sessionSettings: !endpoint.embedded }),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const applied = await runMigrations(dataSource);
        if (applied.length > 0) logger.log({ msg: 'Applied migrations', migrations: applied });
        return dataSource;
      },
    }),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
