import { setupDatabase } from './setup.ts';

await setupDatabase({
  url: process.env.DATABASE_URL || undefined,
  authToken: process.env.DATABASE_AUTH_TOKEN || undefined,
  demo: process.env.CAPACITA_DEMO !== '0',
  log: (line) => console.log(line),
});
