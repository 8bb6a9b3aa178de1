/**
 * The SQL condition "this operator is on shift at this instant" (migration 1738000000000 describes
 * the schedule): never on a day off (the local date in the operator's timezone); otherwise, no shift
 * rows at all → always on shift; else the instant, read as wall-clock time in the operator's
 * timezone, falls in one of their weekly shifts. `weekday` 0 = Sunday, as
 * `extract(dow)`; a shift with `ends_at <= starts_at` runs from `starts_at` on its weekday to
 * `ends_at` on the next day.
 *
 * Evaluated by Postgres (not in the service) so that every inbox instance decides with the same
 * clock and the same tz database, inside the transaction that assigns. Every query that asks
 * whether an operator may be given work uses this one expression.
 *
 * @param operator alias of the `operators` row in the surrounding query
 * @param at SQL expression of the instant (a timestamptz); `now()` in product code
 */
export function onShiftSql(operator: string, at = 'now()'): string {
  return `(NOT EXISTS (SELECT 1 FROM operator_shift_exceptions x
                     WHERE x.operator_id = ${operator}.id AND x.day = ((${at}) AT TIME ZONE ${operator}.timezone)::date)
   AND (NOT EXISTS (SELECT 1 FROM operator_shifts s WHERE s.operator_id = ${operator}.id)
    OR EXISTS (
      SELECT 1
        FROM operator_shifts s,
             (SELECT extract(dow FROM l.local)::int AS dow, l.local::time AS clock
                FROM (SELECT (${at}) AT TIME ZONE ${operator}.timezone AS local) l) w
       WHERE s.operator_id = ${operator}.id
         AND ((s.weekday = w.dow AND w.clock >= s.starts_at AND (s.ends_at <= s.starts_at OR w.clock < s.ends_at))
              OR (s.ends_at <= s.starts_at AND s.weekday = (w.dow + 6) % 7 AND w.clock < s.ends_at)))))`;
}
