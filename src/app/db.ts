// The app's one database handle, configured from astro:env. Domain modules receive it as a parameter.
import { DATABASE_AUTH_TOKEN, DATABASE_URL } from 'astro:env/server';
import { openDatabase, type Database } from '../../db/client.ts';

let instance: Database | undefined;

export function getDb(): Database {
  instance ??= openDatabase({ url: DATABASE_URL, authToken: DATABASE_AUTH_TOKEN });
  return instance;
}
