// An IANA timezone name, checked against the runtime's own zone data (the one that will use it).
import { z } from 'zod';

export const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected an IANA timezone name, e.g. UTC or Europe/Paris' },
);
