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

/**
 * Raise where demand meets capacity: the volume is assumed to hold, so the change is the
 * weekly revenue (at least the list value of the used hours) × (multiplier − 1). Discount
 * where the room idles while the building is busy at that hour: the room is assumed to
 * reach the building's mean utilization at the discounted list price. Null when neither
 * applies or the change would not be positive.
 */
export function pricingOpportunity(facts: SlotFacts): Recommendation | null {
  const utilization = facts.usedHours / facts.weeks;
  const weeklyRevenue = facts.revenue / facts.weeks;
  const pressure = Math.max(utilization, facts.attendanceRate ?? 0);
  const base = {
    timeSlot: `${DAYS[facts.dow - 1]} ${String(facts.hour).padStart(2, '0')}:00`,
    dayOfWeek: facts.dow,
    hour: facts.hour,
    avgUtilization: utilization,
  };
  const evidence = (rule: string) => ({
    rule,
    weeks: facts.weeks,
    usedHours: facts.usedHours,
    bookings: facts.bookings,
    gatherings: facts.gatherings,
    attendanceRate: facts.attendanceRate,
    listPrice: facts.listPrice,
    avgPricePaidPerHour: facts.bookingHourPrice,
    weeklyRevenue,
    buildingUtilizationAtHour: facts.buildingUtilization,
  });

  if (pressure >= RULES.raiseFrom) {
    const multiplier =
      pressure >= RULES.steepRaiseFrom ? RULES.steepRaiseMultiplier : RULES.raiseMultiplier;
    const baseline = Math.max(weeklyRevenue, utilization * facts.listPrice);
    const change = baseline * (multiplier - 1);
    if (change <= 0) return null;
    return {
      ...base,
      action: 'raise',
      recommendedPriceMultiplier: multiplier,
      projectedRevenue: change,
      evidence: evidence(
        `Demand pressure ${pressure.toFixed(2)} ≥ ${RULES.raiseFrom} (used ${facts.usedHours} of ${facts.weeks} weeks; attendance ${facts.attendanceRate?.toFixed(2) ?? 'n/a'} of capacity): raise, keeping the volume`,
      ),
    };
  }
  const gap = facts.buildingUtilization - utilization;
  if (utilization <= RULES.discountUpTo && gap > RULES.discountGap && facts.listPrice > 0) {
    const multiplier = RULES.discountMultiplier;
    const change = facts.buildingUtilization * facts.listPrice * multiplier - weeklyRevenue;
    if (change <= 0) return null;
    return {
      ...base,
      action: 'discount',
      recommendedPriceMultiplier: multiplier,
      projectedRevenue: change,
      evidence: evidence(
        `Used ${utilization.toFixed(2)} ≤ ${RULES.discountUpTo} while the building is at ${facts.buildingUtilization.toFixed(2)} at this hour: discount to draw it towards that level`,
      ),
    };
  }
  return null;
}
