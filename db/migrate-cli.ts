// npm run db:migrate: applies pending migrations and loads missing reference data, without demo accounts (what a
// production database needs before `npm start`; start also runs db/setup-cli.ts, which adds them unless CAPACITA_DEMO=0).
import { setupDatabase } from './setup.ts';

await setupDatabase({
  url: process.env.DATABASE_URL || undefined,
  authToken: process.env.DATABASE_AUTH_TOKEN || undefined,
  demo: false,
  log: (line) => console.log(line),
});
