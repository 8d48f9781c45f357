/** A JSON / YAML mapping (not null, not a list), as request bodies and contracts are read. */
export const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
