/**
 * What the queries both dialects spell alike need of a database: statements written once with `?`
 * placeholders (PostgreSQL's runner numbers them), and the few spellings that differ.
 */
export interface SqlRunner {
  all<T>(sql: string, params: readonly unknown[], map: (row: unknown) => T): Promise<T[]>;
  /** The first row, or null. */
  one<T>(sql: string, params: readonly unknown[], map: (row: unknown) => T): Promise<T | null>;
  /** Rows as arrays of column values, in the order selected: no object per row from the driver. */
  arrays<T>(sql: string, params: readonly unknown[], map: (row: unknown[]) => T): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows it inserted, updated or deleted. */
  run(sql: string, params: readonly unknown[]): Promise<number>;
}

export interface Dialect {
  /** A flag as a statement parameter: SQLite binds 0/1, PostgreSQL a boolean. */
  flag(value: boolean): number | boolean;
  /** A true flag in SQL text. */
  readonly trueSql: '1' | 'true';
  /** A LIKE that ignores ASCII case: SQLite's LIKE does; PostgreSQL's ILIKE under the columns' "C" collation does the same. */
  readonly likeNoCase: 'LIKE' | 'ILIKE';
}
