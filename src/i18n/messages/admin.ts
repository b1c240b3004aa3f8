import { defineMessages } from '../define.ts';

export const admin = defineMessages(
  {
    'admin.placeholder': '—',
  },
  {
    'admin.placeholder': '—',
  },
);
