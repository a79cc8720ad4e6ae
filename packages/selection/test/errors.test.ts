import { describe, expect, it } from 'vitest';
import { PlanFormatError, SelectionError, SelectionInputError, SelectionOptionError } from '../src/index';

describe('errors', () => {
  it('name every error by its class and extend SelectionError', () => {
    const errors = [new SelectionOptionError('seed', 'bad seed'), new SelectionInputError('dense', 'bad layer', 3), new PlanFormatError('layers[0]', 'bad'), new SelectionError('any')];
    expect(errors.map((e) => e.name)).toEqual(['SelectionOptionError', 'SelectionInputError', 'PlanFormatError', 'SelectionError']);
    for (const e of errors) expect(e).toBeInstanceOf(SelectionError);
    expect(errors[2]!.message).toBe('layers[0]: bad');
  });
});
