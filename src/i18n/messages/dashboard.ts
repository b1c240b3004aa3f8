import { defineMessages } from '../define.ts';

export const dashboard = defineMessages(
  {
    'dashboard.placeholder': '—',
  },
  {
    'dashboard.placeholder': '—',
  },
);
