// Asserts that a promise rejects with a RosterError of one code, and hands the error back for more checks.
import { expect } from 'vitest';
import { RosterError, type ErrorCode } from '../../src/domain/errors.ts';

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<RosterError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RosterError);
  expect((error as RosterError).code).toBe(code);
  return error as RosterError;
}
