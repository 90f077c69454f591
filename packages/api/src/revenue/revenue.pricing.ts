import { type Opportunity, PRICING_RULES as RULES } from './revenue.contract.js';

/** What was observed in one room at one hour of the week over the window. */
export interface SlotFacts {
  weeks: number;
  dow: number;
  hour: number;
  usedHours: number;
  revenue: number;
  bookings: number;
  gatherings: number;
  attendanceRate: number | null;
  bookingHourPrice: number | null;
  listPrice: number;
  /** Mean utilization of all the building's rooms at this hour of the week. */
  buildingUtilization: number;
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

type Recommendation = Omit<Opportunity, 'roomId' | 'roomName' | 'floor'>;

/** The rule that applies to a slot and its expected weekly revenue change, before any wording. */
export interface Assessment {
  action: Recommendation['action'];
  multiplier: number;
  change: number;
  pressure: number;
}

/**
 * Raise where demand meets capacity: the volume is assumed to hold, so the change is the
 * weekly revenue (at least the list value of the used hours) × (multiplier − 1). Discount
 * where the room idles while the building is busy at that hour: the room is assumed to
 * reach the building's mean utilization at the discounted list price. Null when neither
 * applies or the change would not be positive. It runs for every room × hour of the week
 * (107,520 on the large building), so it allocates nothing but its answer; `recommendation`
 * words only the few chosen.
 */
export function assessSlot(facts: SlotFacts): Assessment | null {
  const utilization = facts.usedHours / facts.weeks;
  const weeklyRevenue = facts.revenue / facts.weeks;
  const pressure = Math.max(utilization, facts.attendanceRate ?? 0);
  if (pressure >= RULES.raiseFrom) {
    const multiplier =
      pressure >= RULES.steepRaiseFrom ? RULES.steepRaiseMultiplier : RULES.raiseMultiplier;
    const baseline = Math.max(weeklyRevenue, utilization * facts.listPrice);
    const change = baseline * (multiplier - 1);
    return change > 0 ? { action: 'raise', multiplier, change, pressure } : null;
  }
  const gap = facts.buildingUtilization - utilization;
  if (utilization <= RULES.discountUpTo && gap > RULES.discountGap && facts.listPrice > 0) {
    const multiplier = RULES.discountMultiplier;
    const change = facts.buildingUtilization * facts.listPrice * multiplier - weeklyRevenue;
    return change > 0 ? { action: 'discount', multiplier, change, pressure } : null;
  }
  return null;
}

export function recommendation(facts: SlotFacts, found: Assessment): Recommendation {
  const utilization = facts.usedHours / facts.weeks;
  const rule =
    found.action === 'raise'
      ? `Demand pressure ${found.pressure.toFixed(2)} ≥ ${RULES.raiseFrom} (used ${facts.usedHours} of ${facts.weeks} weeks; attendance ${facts.attendanceRate?.toFixed(2) ?? 'n/a'} of capacity): raise, keeping the volume`
      : `Used ${utilization.toFixed(2)} ≤ ${RULES.discountUpTo} while the building is at ${facts.buildingUtilization.toFixed(2)} at this hour: discount to draw it towards that level`;
  return {
    timeSlot: `${DAYS[facts.dow - 1]} ${String(facts.hour).padStart(2, '0')}:00`,
    dayOfWeek: facts.dow,
    hour: facts.hour,
    avgUtilization: utilization,
    action: found.action,
    recommendedPriceMultiplier: found.multiplier,
    projectedRevenue: found.change,
    evidence: {
      rule,
      weeks: facts.weeks,
      usedHours: facts.usedHours,
      bookings: facts.bookings,
      gatherings: facts.gatherings,
      attendanceRate: facts.attendanceRate,
      listPrice: facts.listPrice,
      avgPricePaidPerHour: facts.bookingHourPrice,
      weeklyRevenue: facts.revenue / facts.weeks,
      buildingUtilizationAtHour: facts.buildingUtilization,
    },
  };
}
