// `guards:` in roster.yaml: how many retirements may go out without a person approving them, and how
// much of last time's Salesforce population must still be there before anything is retired at all.
import { z } from 'zod';

const numberFrom = (v: unknown) => (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v);
const count = (max: number) =>
  z.preprocess(
    numberFrom,
    z
      .int({ error: `expected a whole number from 0 to ${max}` })
      .min(0)
      .max(max),
  );
const percent = z.preprocess(
  numberFrom,
  z.number({ error: 'expected a percentage from 0 to 100' }).min(0).max(100, { error: 'at most 100' }),
);

export const guardsSchema = z
  .strictObject({
    maxRetirementsPerRun: count(10_000_000).default(500),
    maxRetirementsPercent: percent.default(5),
    maxPerAccount: count(10_000_000).default(200),
    minSourceShare: percent.default(80),
  })
  .prefault({});

export type GuardsConfig = z.output<typeof guardsSchema>;
