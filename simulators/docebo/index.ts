// The Docebo simulator: `startDoceboSimulator` for in-process tests, `runDoceboSimulatorCli` for `roster sim docebo`.
export { startDoceboSimulator } from './docebo-simulator.ts';
export { runDoceboSimulatorCli } from './simulator-cli.ts';
export type {
  CallRecord,
  DoceboQuirks,
  DoceboSimulatorOptions,
  Faults,
  RunningDoceboSimulator,
  SeedUser,
} from './sim-types.ts';
