import { describe, expect, it } from 'vitest';
import { parseSimulatorArgs } from './simulator-cli.ts';

describe('salesforce simulator CLI flags', () => {
  it('reads every flag, spaced or with =', () => {
    expect(
      parseSimulatorArgs([
        '--port',
        '8080',
        '--seed=seed.json',
        '--schema',
        's.json',
        '--client-id',
        'a',
        '--client-secret',
        'b',
        '--jwt-public-key',
        'k.pem',
      ]),
    ).toEqual({
      '--port': '8080',
      '--seed': 'seed.json',
      '--schema': 's.json',
      '--client-id': 'a',
      '--client-secret': 'b',
      '--jwt-public-key': 'k.pem',
    });
  });

  it('refuses unknown flags and missing values', () => {
    expect(() => parseSimulatorArgs(['--verbose'])).toThrow(/Unknown option --verbose/);
    expect(() => parseSimulatorArgs(['--port'])).toThrow(/--port needs a value/);
  });
});
