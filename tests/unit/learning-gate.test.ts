import { describe, expect, it } from 'vitest';
import { reasonsThatApply } from '../../src/server/learning/gate.ts';
import type { LockReason } from '../../src/server/learning/enrolment.ts';

const programmeOf = (id: string) => ({ 'basico-fundamentos': 'basico', 'actualizacion-2026': 'actualizacion' })[id];

describe('the reasons a locked course tells', () => {
  it('tells a journalist only that the programme is not for them', () => {
    const all: LockReason[] = [{ code: 'audience', audience: ['official'] }, { code: 'needsBasico' }, { code: 'needsSpecialist', status: 'none' }, { code: 'prerequisite', courseId: 'basico-fundamentos' }];
    expect(reasonsThatApply(all, programmeOf)).toEqual([{ code: 'audience', audience: ['official'] }]);
  });

  it('says a missing Básico once for Actualización (its prerequisite is the Básico course)', () => {
    expect(reasonsThatApply([{ code: 'needsBasico' }, { code: 'prerequisite', courseId: 'basico-fundamentos' }], programmeOf)).toEqual([{ code: 'needsBasico' }]);
  });

  it('keeps requirements that are each needed', () => {
    const both: LockReason[] = [{ code: 'needsBasico' }, { code: 'needsSpecialist', status: 'requested' }];
    expect(reasonsThatApply(both, programmeOf)).toEqual(both);
    expect(reasonsThatApply([{ code: 'prerequisite', courseId: 'actualizacion-2026' }, { code: 'needsBasico' }], programmeOf)).toHaveLength(2);
  });
});
