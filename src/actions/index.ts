// Every mutation of Capacita is an Action, grouped by domain; each handler asks the policy module (src/app/guard.ts).
import { auth } from './auth.ts';
import { learning } from './learning.ts';
import { activities } from './activities.ts';
import { admin } from './admin.ts';
import { account } from './account.ts';
import { certificates } from './certificates.ts';
import { placement } from './placement.ts';
import { reminders } from './reminders.ts';
import { checkin } from './checkin.ts';
import { workshops } from './workshops.ts';

export const server = { auth, learning, admin, account, certificates, placement, reminders, activities, checkin, workshops };
