// The two names every page needs to know about a facilitator's attendance marks on this device (attendance-queue.ts),
// without loading the queue itself: where they live, and the flag saying whose they are.
export const ATTENDANCE_DB = 'capacita-attendance';
/** Set while this device holds marks, to the account they were made under: any page can tell without opening them. */
export const ATTENDANCE_OWNER = 'capacita-attendance-owner';
