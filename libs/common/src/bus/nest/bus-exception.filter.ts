import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Hands a bus handler's error to the transport as it was thrown. (Nest's default RPC filter turns it into
 * `{ status: 'error', message: 'Internal server error' }`, which would hide a NonRetryableError.)
 * BusEventPattern applies it.
 */
@Catch()
export class BusExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
