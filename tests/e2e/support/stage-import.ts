// Stages an import preview of N synthetic officials for the Guatemalan committee straight through the domain module,
// and prints {"batchId":…,"userId":…}. Run with Node (it strips the types): node tests/e2e/support/stage-import.ts <dbUrl> <rows>
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../../db/client.ts';
import { users } from '../../../db/schema.ts';
import { createImportPreview } from '../../../src/server/admin/import.ts';

const [url, count] = process.argv.slice(2);
const db = openDatabase({ url });
const [committee] = await db.select().from(users).where(eq(users.emailKey, 'comite.gt@demo.capacita.test'));
const institution = await db.$client.execute("SELECT name FROM institutions WHERE country_code = 'GT' AND active = 1 LIMIT 1");
// Names take no digits (src/server/person-name.ts refuses them): the row number in letters, Importada B, …, Importada BA.
const letters = (n: number): string => (n >= 26 ? letters(Math.floor(n / 26)) : '') + String.fromCharCode(65 + (n % 26));
const rows = Array.from({ length: Number(count) }, (_, i) => ({ line: i + 2, name: `Importada ${letters(i)}`, email: `import-${i}@crash.capacita.test`, institution: String(institution.rows[0]!.name), role: '', specialist: 'no', language: 'es' }));
const preview = await createImportPreview(db, committee!, { countryCode: 'GT', fileName: 'crash.csv', rows });
db.$client.close();
console.log(JSON.stringify({ batchId: preview.batchId, userId: committee!.id }));
