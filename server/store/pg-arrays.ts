// PostgreSQL array type oids, for passing a column of a batch as one parameter (`sql.array(values, oid)`), and
// the zero-copy Buffer view postgres.js wants for bytea.
export const BYTEA_ARRAY = 1001;
export const INT4_ARRAY = 1007;
export const UUID_ARRAY = 2951;
export const TIMESTAMPTZ_ARRAY = 1185;

export function bytea(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
