/** How long each mailed link works, as API.md Part 2 states it; the mails say the same. */
export const LINK_LIFETIME = {
  verification: '24 hours',
  reset: '30 minutes',
  emailChange: '24 hours',
} as const;
