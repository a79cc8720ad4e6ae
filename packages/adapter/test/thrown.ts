import { expect } from 'vitest';

/** The error `run` throws, checked to be a `type`; fails the test when `run` throws nothing. */
export function thrownBy<E extends Error>(run: () => unknown, type: new (...args: never[]) => E): E {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as E;
  }
  throw new Error(`expected ${type.name}, nothing was thrown`);
}
