import { defineMessages } from '../define.ts';

export const learning = defineMessages(
  {
    'learning.placeholder': '—',
  },
  {
    'learning.placeholder': '—',
  },
);
