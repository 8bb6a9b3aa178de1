import { daysOffSchema, shiftsSchema, timezoneSchema } from '@switchboard/common/api/operator-schedule.schema';
import { createOperatorSchema as baseCreateOperatorSchema } from './admin.schemas';

const schedule = {
  timezone: timezoneSchema.optional(),
  shifts: shiftsSchema.optional(),
  daysOff: daysOffSchema.optional(),
};

/** POST /api/v1/operators: the administration fields plus the schedule (timezone, weekly shifts, days off) */
export const createOperatorSchema = baseCreateOperatorSchema.extend(schedule);

/** PATCH /api/v1/operators/{id}: any subset; `shifts` and `daysOff` each replace the whole list */
export const updateOperatorSchema = createOperatorSchema.partial().passthrough();
