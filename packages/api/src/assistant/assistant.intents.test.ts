import { describe, expect, it } from 'vitest';
import { parseIntent } from './assistant.intents.js';

describe('parseIntent', () => {
  it.each([
    ["what's on floor 4 tonight?", { kind: 'floor_schedule', floor: 4, period: 'tonight' }],
    [
      'What is happening on the 12th floor tomorrow',
      { kind: 'floor_schedule', floor: 12, period: 'tomorrow' },
    ],
    ['events on floor 3', { kind: 'floor_schedule', floor: 3, period: 'today' }],
    ['who should I meet about robotics?', { kind: 'meet', topic: 'robotics' }],
    ['Who should I talk to about machine learning', { kind: 'meet', topic: 'machine learning' }],
    ['who knows rust?', { kind: 'meet', topic: 'rust' }],
    ['which rooms are free at 3 pm?', { kind: 'free_rooms', hour: 15, minute: 0 }],
    ['any rooms available at 9:30am', { kind: 'free_rooms', hour: 9, minute: 30 }],
    ['free rooms?', { kind: 'free_rooms', hour: null, minute: 0 }],
    ['how busy was last week?', { kind: 'busyness', period: 'last_week' }],
    ['How busy is it today', { kind: 'busyness', period: 'today' }],
    ['tell me a joke', { kind: 'help' }],
  ])('%s', (message, intent) => {
    expect(parseIntent(message)).toEqual(intent);
  });
});
