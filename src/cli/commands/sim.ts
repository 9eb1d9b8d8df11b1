// `roster sim salesforce|docebo`: run a simulator in the foreground until Ctrl-C.
import { runDoceboSimulatorCli } from '../../../simulators/docebo/index.ts';
import { runSalesforceSimulatorCli } from '../../../simulators/salesforce/index.ts';
import { RosterError } from '../../domain/errors.ts';
import { EXIT } from '../../domain/exit-codes.ts';

export async function simCommand(which: string, args: string[]): Promise<number> {
  if (which === 'docebo') await runDoceboSimulatorCli(args);
  else if (which === 'salesforce') await runSalesforceSimulatorCli(args);
  else
    throw new RosterError(
      'ROSTER_CONFIG_INVALID',
      `Unknown simulator "${which}": use "salesforce" or "docebo".`,
    );
  return EXIT.OK;
}
