// `roster serve`: runs until SIGTERM/SIGINT, then stops taking work, lets the batch in flight finish,
// persists and exits 0. Logs are JSON lines on stderr; stdout only says where it listens.
import { startServe } from '../../compose/serve.ts';
import { EXIT } from '../../domain/exit-codes.ts';
import type { CommandContext } from '../cli-io.ts';
import type { Output } from '../output.ts';

export async function serveCommand(
  flags: { config: string },
  out: Output,
  ctx: CommandContext,
): Promise<number> {
  const running = await startServe(flags.config, ctx.env, ctx.cwd);
  out.print(`roster serve listening on ${running.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await running.stop();
  return EXIT.OK;
}
