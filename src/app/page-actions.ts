// Actions named on every signed-in page (the header's sign-out) and on every lesson page, looked up once per process.
// Each `actions.a.b` in a template goes through Astro's actions proxy, which builds a new callable, its query string
// and URLSearchParams on every access: ≈ 2 % of a lesson page's CPU in its profile for three accesses (issue 20.1).
import { actions } from 'astro:actions';

export const markLessonDone = actions.learning.markDone;
export const signOut = actions.auth.signOut;
