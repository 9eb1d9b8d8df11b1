import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFacade } from './pino-logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with the level name, time and message', () => {
    const { lines, destination } = capture();
    logFacade(createLogger({ destination })).info('started', { port: 7100 });
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'started', port: 7100 });
    expect(typeof lines[0]?.time).toBe('string');
  });

  it.each(['authorization', 'token', 'secret', 'password', 'clientSecret', 'adminToken', 'privateKey'])(
    'redacts %s at the top level and one level down',
    (key) => {
      const { lines, destination } = capture();
      logFacade(createLogger({ destination })).warn('x', {
        [key]: 'SECRET-1',
        nested: { [key]: 'SECRET-2' },
      });
      expect(JSON.stringify(lines)).not.toContain('SECRET');
      expect(lines[0]?.[key]).toBe('[redacted]');
    },
  );

  it('redacts request authorization headers and keeps child fields', () => {
    const { lines, destination } = capture();
    const log = logFacade(createLogger({ destination })).child({ runId: 'r1' });
    log.error('boom', { req: { headers: { authorization: 'Bearer SECRET' } } });
    expect(JSON.stringify(lines)).not.toContain('SECRET');
    expect(lines[0]).toMatchObject({ level: 'error', runId: 'r1' });
  });

  it('respects the level', () => {
    const { lines, destination } = capture();
    const log = logFacade(createLogger({ level: 'warn', destination }));
    log.info('hidden');
    log.warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
