// The interactive activities a lesson uses, read from its MDX source: `<H5P id="…" />` and `<H5P id="…" required />`.
// The lessons code passes the required ids to requiredActivitiesDone().

export interface LessonActivity {
  id: string;
  required: boolean;
}

const H5P_TAG = /<H5P\b([^>]*?)\/?>/g;

export function listLessonActivities(mdx: string): LessonActivity[] {
  const activities: LessonActivity[] = [];
  for (const match of mdx.matchAll(H5P_TAG)) {
    const attributes = match[1] ?? '';
    const id = attributes.match(/\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*["']([^"']*)["']\s*\})/);
    const value = id?.[1] ?? id?.[2] ?? id?.[3];
    if (!value) continue;
    const required = /\brequired(?:\s*=\s*\{\s*true\s*\}|\s*=\s*["']true["'])?(?=[\s/]|$)/.test(attributes.replace(id![0], ''));
    activities.push({ id: value, required });
  }
  return activities;
}

/** Only the ids of required activities, the argument requiredActivitiesDone() takes. */
export function requiredActivityIds(mdx: string): string[] {
  return listLessonActivities(mdx)
    .filter((activity) => activity.required)
    .map((activity) => activity.id);
}
