import { InputError } from '@backstage/errors';
import express, { type RequestHandler } from 'express';

const parseJson = express.json();

/**
 * The OpenAPI router's JSON body parser, with errors that say the body is at fault: the
 * parser's own message ("Unexpected token ...") names nothing.
 */
export const jsonBody: RequestHandler = (req, res, next) =>
  parseJson(req, res, error =>
    next(error ? new InputError(`Invalid request body: ${(error as Error).message}`) : undefined),
  );

/**
 * A date-time the OpenAPI validator accepted, as a Date. RFC 3339 allows a leap second
 * (`23:59:60`) that a JavaScript Date cannot hold, so such a value is a 400 naming the field.
 */
export function parseDateTime(value: string, where: 'query' | 'body', name: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`Invalid ${where}: "${name}" is not a date-time this server can represent: ${value}`);
  }
  return date;
}
