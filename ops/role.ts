import 'reflect-metadata';
import { ConfigError, loadConfig, loadEnvFile } from '../core/config/config';
import { createLogger } from '../core/logging/logger';
import { startTracing } from '../core/observability/tracing';
import { isRoleName, ROLES, startRole } from './roles';

/** Runs one role alone: `node dist/ops/role.js <role>` (how each role scales out on its own). */
async function main(): Promise<void> {
  const role = process.argv[2] ?? '';
  if (!isRoleName(role)) {
    console.error(`Usage: role <${ROLES.join('|')}>`);
    process.exit(2);
  }
  loadEnvFile();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  process.env.APOLLO_TELEMETRY_DISABLED = config.APOLLO_TELEMETRY_DISABLED;
  const logger = createLogger(role, config.LOG_LEVEL);
  // Before the role starts, so its first requests are traced (off unless configured).
  const tracing = startTracing({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: `docent-${role}`,
  });
  if (tracing) logger.info({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }, 'tracing on');
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );
  // A supervisor killed while this role is still starting must not leave it behind: before the
  // role is up there is no in-flight work to finish, so it exits at once (seen: roles orphaned
  // when `npm start`'s test killed a supervisor that had not come up).
  const exitIfOrphanedWhileStarting = () => process.exit(1);
  if (process.send) process.once('disconnect', exitIfOrphanedWhileStarting);
  const running = await startRole(role, config, logger);
  process.off('disconnect', exitIfOrphanedWhileStarting);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight work');
    // A stop that hangs (a stuck connection, a job that ignores its deadline) must not leave
    // the process behind: after the grace period and a margin it exits anyway.
    setTimeout(() => {
      logger.error('stop did not finish in time: exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 5_000).unref();
    running
      .stop()
      .then(() => tracing?.shutdown())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Under the supervisor: stop when it is gone, even if it was killed without a word.
  if (process.send) process.on('disconnect', () => shutdown('supervisor gone'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
