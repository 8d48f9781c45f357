import { InputError } from '@backstage/errors';
import express from 'express';

/** A query parameter given at most once. */
export function single(req: express.Request, name: string): string | undefined {
  const raw = req.query[name];
  if (Array.isArray(raw) || (raw !== undefined && typeof raw !== 'string'))
    throw new InputError(`Query parameter ${name} must be given once`);
  return raw;
}

/** An integer query parameter within bounds, or undefined when absent. */
export function integer(
  req: express.Request,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = single(req, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      `Query parameter ${name} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}
