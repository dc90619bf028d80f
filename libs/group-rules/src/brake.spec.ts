import { brakeDecision, brakeForBatch } from './brake';
import { settingsFrom } from './test-settings';

const defaults = settingsFrom({});
const decide = (activeUsersInConnector: number, pendingDeprovisions: number, settings = defaults) =>
  brakeDecision({ settings, activeUsersInConnector, pendingDeprovisions });

describe('brakeDecision', () => {
  it.each([
    [100, 10, false],
    [100, 11, true],
    [20, 2, false],
    [20, 3, true],
    [30, 3, false],
    [30, 4, true],
    [19, 19, false],
    [20, 20, true],
  ])('with the defaults (10%%, from 20 users), %i active users and %i pending: hold %s', (active, pending, hold) => {
    expect(decide(active, pending).hold).toBe(hold);
  });

  it('explains a hold with the counts, the share, the window and the limit', () => {
    expect(decide(30, 5)).toEqual({
      hold: true,
      reason: '5 of 30 active users (16.7%) would be deprovisioned within 300 seconds, more than the 10% limit: held for an admin to confirm',
    });
    expect(decide(100, 10)).toEqual({ hold: false, reason: '10 of 100 active users (10%) would be deprovisioned within 300 seconds, within the 10% limit' });
  });

  it('never holds below the minimum number of users', () => {
    expect(decide(19, 19)).toEqual({ hold: false, reason: "19 users is below the brake's minimum of 20" });
  });

  it('follows the configured share and minimum', () => {
    const settings = settingsFrom({ brake: { maxShare: 0.25, minUsers: 4, windowSeconds: 60 } });
    expect(decide(4, 1, settings).hold).toBe(false);
    expect(decide(4, 2, settings)).toEqual({
      hold: true,
      reason: '2 of 4 active users (50%) would be deprovisioned within 60 seconds, more than the 25% limit: held for an admin to confirm',
    });
  });

  it('holds nothing when turned off', () => {
    expect(decide(100, 100, settingsFrom({ brake: { enabled: false } }))).toEqual({ hold: false, reason: 'the mass-deprovisioning brake is off' });
  });

  it('holds nothing when there are no active users, even with no minimum', () => {
    expect(decide(0, 1, settingsFrom({ brake: { minUsers: 0 } }))).toEqual({ hold: false, reason: 'there are no active users to protect' });
  });

  it('holds any deprovision with a zero share', () => {
    expect(decide(20, 1, settingsFrom({ brake: { maxShare: 0 } })).hold).toBe(true);
    expect(decide(20, 0, settingsFrom({ brake: { maxShare: 0 } })).hold).toBe(false);
  });

  it.each([
    [-1, 0],
    [10, 1.5],
    [Number.NaN, 1],
  ])('refuses counts that are not non-negative integers (%d, %d)', (active, pending) => {
    expect(() => decide(active, pending)).toThrow(RangeError);
  });
});

describe('brakeForBatch', () => {
  it.each([
    [200, 20, false],
    [200, 21, true],
    [19, 10, false],
    [20, 3, true],
    [500, 0, false],
  ])('with the defaults, %i users and %i to deprovision: hold %s', (total, leaving, hold) => {
    expect(brakeForBatch(total, leaving, defaults).hold).toBe(hold);
  });

  it('explains itself without a window', () => {
    expect(brakeForBatch(200, 40, defaults)).toEqual({
      hold: true,
      reason: '40 of 200 users in this sync (20%) would be deprovisioned, more than the 10% limit: held for an admin to confirm',
    });
  });
});
