// Exit codes scripts can trust; documented in the README. The error registry (errors.ts) names the one
// each error ends the CLI with.
export const EXIT = {
  /** Success; for `plan`, nothing to do. */
  OK: 0,
  /** Roster could not do its job (Salesforce, Docebo or the store failed, or the user cancelled). */
  ERROR: 1,
  /** `plan` found changes to make. */
  CHANGES: 2,
  /** The configuration is missing or invalid; nothing was contacted. */
  CONFIG: 3,
  /** `apply` ran, but some changes failed (each is journaled; the next apply retries them). */
  PARTIAL: 4,
  /** `apply` ran, but the guards held changes for approval or the source guard stopped every retirement. */
  HELD: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
