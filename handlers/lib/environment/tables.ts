/** The consumer's own tables (`tables`): each table's physical name reaches the function as `TABLE_<NAME>`. */
import type { Variables } from "./variables";

/** What every table's variable starts with: a user's `environment` may not. */
export const TABLE_VARIABLE_PREFIX = "TABLE_";

/** The variable of table `table`: `TABLE_<NAME>`, upper case, dashes as underscores. */
export function tableEnvironmentName(table: string): string {
  return `${TABLE_VARIABLE_PREFIX}${table.toUpperCase().replace(/-/g, "_")}`;
}

/** The variables of `tables`: each table's physical name (a Pulumi Input in the program), by config name. */
export function tablesEnvironment<V>(tables: Readonly<Record<string, V>>): Variables<V> {
  return Object.fromEntries(Object.entries(tables).map(([table, name]) => [tableEnvironmentName(table), name]));
}
