import { QueryClient } from '@tanstack/react-query';
import { describe, expect, test } from 'vitest';
import {
  announceSlotAssigned,
  isSlotAssigned,
  queriesToRefresh,
  type SlotAssignedMessage,
  UPLOAD_CHANNEL,
} from './upload-broadcast.js';

const message: SlotAssignedMessage = {
  type: 'slot-assigned',
  studyId: 'st',
  subjectId: 'su',
  eventId: 'ev',
  slotDefinitionId: 'sl',
};

describe('the upload broadcast', () => {
  test('only well-formed slot-assigned messages are accepted', () => {
    expect(isSlotAssigned(message)).toBe(true);
    expect(isSlotAssigned({ ...message, type: 'other' })).toBe(false);
    expect(isSlotAssigned({ ...message, eventId: 3 })).toBe(false);
    expect(isSlotAssigned(null)).toBe(false);
    expect(isSlotAssigned('slot-assigned')).toBe(false);
  });

  test("the refreshed queries include the DICOM tab's slots of that subject and leave other subjects alone", async () => {
    const client = new QueryClient();
    client.setQueryData(['slots', 'st', 'su', 'ev'], []);
    client.setQueryData(['slots', 'st', 'other', 'ev'], []);
    for (const queryKey of queriesToRefresh(message)) await client.invalidateQueries({ queryKey });
    expect(client.getQueryState(['slots', 'st', 'su', 'ev'])?.isInvalidated).toBe(true);
    expect(client.getQueryState(['slots', 'st', 'other', 'ev'])?.isInvalidated).toBe(false);
  });

  test('an announcement reaches another listener of the channel', async () => {
    const listener = new BroadcastChannel(UPLOAD_CHANNEL);
    const received = new Promise<unknown>((resolve) => {
      listener.onmessage = (event: MessageEvent<unknown>) => resolve(event.data);
    });
    announceSlotAssigned(message);
    expect(await received).toEqual(message);
    listener.close();
  });
});
