// The values the workshop form shows: a new workshop's defaults, a saved workshop's fields, or — after a refused
// post — what the person typed (Astro hands the page a copy of the request body), so nothing has to be typed twice.
import type { WorkshopRow, WorkshopSession } from '../server/workshops/index.ts';

export interface WorkshopFormValues {
  titleEs: string;
  titleEn: string;
  course: string;
  mode: string;
  place: string;
  facilitators: string;
  capacity: string;
  startsOn: string;
  endsOn: string;
  rule: string;
  postTest: boolean;
  sessions: { day: string; hours: string }[];
  institutions: number[];
}

export function newWorkshopValues(defaultCourse: string): WorkshopFormValues {
  return { titleEs: '', titleEn: '', course: defaultCourse, mode: 'in_person', place: '', facilitators: '', capacity: '25', startsOn: '', endsOn: '', rule: '80', postTest: false, sessions: [], institutions: [] };
}

export function savedWorkshopValues(workshop: WorkshopRow, sessions: WorkshopSession[], institutionIds: number[]): WorkshopFormValues {
  return {
    titleEs: workshop.titleEs,
    titleEn: workshop.titleEn,
    course: workshop.courseSlug,
    mode: workshop.mode,
    place: workshop.place,
    facilitators: workshop.facilitators,
    capacity: String(workshop.capacity),
    startsOn: workshop.startsOn,
    endsOn: workshop.endsOn,
    rule: String(workshop.attendanceRulePercent),
    postTest: workshop.requiresPostTest,
    sessions: sessions.map((s) => ({ day: s.day, hours: String(s.hours) })),
    institutions: institutionIds,
  };
}

export function postedWorkshopValues(form: FormData): WorkshopFormValues {
  const text = (name: string) => String(form.get(name) ?? '');
  const days = form.getAll('sessionDay').map(String);
  const hours = form.getAll('sessionHours').map(String);
  return {
    titleEs: text('titleEs'),
    titleEn: text('titleEn'),
    course: text('course'),
    mode: text('mode'),
    place: text('place'),
    facilitators: text('facilitators'),
    capacity: text('capacity'),
    startsOn: text('startsOn'),
    endsOn: text('endsOn'),
    rule: text('rule'),
    postTest: form.has('postTest'),
    sessions: days.map((day, i) => ({ day, hours: hours[i] ?? '' })).filter((s) => s.day || s.hours),
    institutions: form.getAll('institution').map(Number).filter(Number.isInteger),
  };
}
