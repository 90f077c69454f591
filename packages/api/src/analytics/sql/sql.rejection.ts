import { PulseError } from '../../errors.js';

/** Every refusal of an analyst's statement: a 400 on the `sql` field, naming the problem. */
export function sqlRejection(problem: string): PulseError {
  return new PulseError('VALIDATION_FAILED', `sql: ${problem}`, { field: 'sql' });
}
