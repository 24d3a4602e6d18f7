import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { assertPortFree, PortInUseError } from './common/net/port.js';
import { readAppConfig } from './config/app.config.js';
import { checkConfiguration } from './config/configuration.js';
import { ConfigError } from './config/env.js';
import { DatabaseUnreachableError } from './database/postgres-probe.js';

const logger = new Logger('Bootstrap');

async function main(): Promise<void> {
  checkConfiguration();
  const { host, port } = readAppConfig();
  await assertPortFree(port, host);
  // The application's modules load only now (seconds of imports): the refusals above come without them.
  const { serve } = await import('./serve.js');
  await serve();
}

main().catch((error: unknown) => {
  // What the operator can fix (the configuration: every problem in one message; a taken port) is said
  // without a stack; anything else keeps its stack for whoever debugs it.
  if (error instanceof ConfigError) logger.error(`Configuration: ${error.message}`);
  else if (error instanceof PortInUseError || error instanceof DatabaseUnreachableError) logger.error(error.message);
  else logger.error(error instanceof Error ? error.message : String(error), error instanceof Error ? error.stack : undefined);
  process.exit(1);
});
