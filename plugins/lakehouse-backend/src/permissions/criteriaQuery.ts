import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';

/** What a values rule becomes as a query: the column is one of `values`. */
export interface ColumnValuesQuery {
  column: string;
  values: string[];
}

/**
 * Permission criteria (allOf / anyOf / not over column rules) as a WHERE on
 * the table aliased `alias`, for the datasets and the feature-store rules.
 */
export function criteriaFilter(
  criteria: PermissionCriteria<ColumnValuesQuery>,
  alias: string,
): (qb: Knex.QueryBuilder) => void {
  const apply = (
    qb: Knex.QueryBuilder,
    c: PermissionCriteria<ColumnValuesQuery>,
  ): void => {
    if ('allOf' in c) {
      qb.where(inner => c.allOf.forEach(x => inner.andWhere(q => apply(q, x))));
    } else if ('anyOf' in c) {
      qb.where(inner => c.anyOf.forEach(x => inner.orWhere(q => apply(q, x))));
    } else if ('not' in c) {
      qb.whereNot(inner => apply(inner, c.not));
    } else {
      qb.whereIn(`${alias}.${c.column}`, c.values);
    }
  };
  return qb => {
    qb.where(inner => apply(inner, criteria));
  };
}
