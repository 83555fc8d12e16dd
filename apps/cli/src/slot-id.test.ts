import { describe, expect, it } from 'vitest';
import { CliError } from './exit-codes.js';
import { formatSlotId, parseSlotId } from './slot-id.js';

describe('slot ids', () => {
  it('round-trips the four ids of a slot', () => {
    const ids = {
      studyId: crypto.randomUUID(),
      subjectId: crypto.randomUUID(),
      eventId: crypto.randomUUID(),
      slotDefinitionId: crypto.randomUUID(),
    };
    expect(parseSlotId(formatSlotId(ids))).toEqual(ids);
  });

  it('refuses anything else as a usage error', () => {
    expect(() => parseSlotId('a/b/c')).toThrow(CliError);
    expect(() => parseSlotId(`${crypto.randomUUID()}/x/y/z`)).toThrow(/not a slot id/);
  });
});
