import { defineMessages } from '../define.ts';

export const h5p = defineMessages(
  {
    'h5p.placeholder': '—',
  },
  {
    'h5p.placeholder': '—',
  },
);
