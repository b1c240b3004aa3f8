// Which of a locked course's reasons to tell the person. checkEnrolment lists every rule that fails; told all of them, a
// journalist read "only for public officials" plus requirements that could never open the course for them, and
// Actualización said "requires Básico" and "requires Fundamentos" (the Básico course) for one missing certificate.
import type { LockReason } from './enrolment.ts';

/**
 * The reasons that apply: a rule about who the programme is for stands alone (nothing else can open it for this
 * person); a prerequisite that is a Básico course is the "requires Básico" already told (which the placement test
 * meets too), so it is not told again; each reason once.
 */
export function reasonsThatApply(reasons: readonly LockReason[], programmeOf: (courseId: string) => string | undefined): LockReason[] {
  const alone = reasons.find((r) => r.code === 'inactive' || r.code === 'observer' || r.code === 'audience');
  if (alone) return [alone];
  const needsBasico = reasons.some((r) => r.code === 'needsBasico');
  const seen = new Set<string>();
  return reasons.filter((r) => {
    if (r.code === 'prerequisite' && needsBasico && programmeOf(r.courseId) === 'basico') return false;
    const key = r.code === 'prerequisite' ? `prerequisite:${r.courseId}` : r.code;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
