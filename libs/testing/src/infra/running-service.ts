import type { DynamicModule, INestApplication } from '@nestjs/common';
import { createServiceApp } from '@switchboard/common';

export interface RunningService {
  app: INestApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/** Boots a service's root module the way main.ts does (createServiceApp), on a free port. */
export async function startService(module: DynamicModule): Promise<RunningService> {
  const app = await createServiceApp(module);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
