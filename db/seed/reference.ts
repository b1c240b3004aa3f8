import type { Database } from '../client.ts';
import { writeTransaction } from '../busy.ts';
import { countries, institutions, institutionTargets, nationalBodies, sectors } from '../schema.ts';
import { CONFIRMED_HOTLINES, COUNTRIES, defaultTargets, INSTITUTIONS, NATIONAL_BODIES, SECTORS } from './reference-data.ts';

/** Loads the reference data; rows that already exist are left as the committees edited them. */
export async function loadReferenceData(db: Database): Promise<void> {
  await writeTransaction(db, async (tx) => {
    await tx.insert(countries).values(COUNTRIES.map((c) => ({ ...c, member: true }))).onConflictDoNothing();
    await tx
      .insert(nationalBodies)
      .values(NATIONAL_BODIES.map((b) => ({ ...b, hotline: CONFIRMED_HOTLINES[b.countryCode] ?? null })))
      .onConflictDoNothing();
    await tx.insert(sectors).values(SECTORS.map((s, i) => ({ ...s, sortOrder: i }))).onConflictDoNothing();
    for (const [countryCode, list] of Object.entries(INSTITUTIONS)) {
      await tx
        .insert(institutions)
        .values(list.map(([sectorCode, name, acronym]) => ({ countryCode, sectorCode, name, acronym })))
        .onConflictDoNothing();
    }
    const rows = await tx.select({ id: institutions.id, countryCode: institutions.countryCode, name: institutions.name }).from(institutions);
    const byKey = new Map(rows.map((r) => [`${r.countryCode}|${r.name}`, r.id]));
    const targets = Object.entries(INSTITUTIONS).flatMap(([countryCode, list]) =>
      list.flatMap(([sector, name, , size]) => {
        const institutionId = byKey.get(`${countryCode}|${name}`)!;
        return Object.entries(defaultTargets(sector, size))
          .filter(([, target]) => target > 0)
          .map(([programme, target]) => ({ institutionId, programme: programme as keyof ReturnType<typeof defaultTargets>, target }));
      }),
    );
    for (let i = 0; i < targets.length; i += 200) {
      await tx.insert(institutionTargets).values(targets.slice(i, i + 200)).onConflictDoNothing();
    }
  });
}
