/** The consumer's Parameter Store parameters (`parameters`): each parameter's name reaches the function as `PARAM_<NAME>`. */
import type { Variables } from "./variables";

/** The variable a parameter's name reaches the function in: `PARAM_<NAME>`. */
export function parameterEnvironmentName(parameter: string): string {
  return `PARAM_${parameter}`;
}

/** The variables of `names`: each parameter's Parameter Store name, by key. */
export function parametersEnvironment(names: Readonly<Record<string, string>>): Variables {
  return Object.fromEntries(Object.entries(names).map(([key, name]) => [parameterEnvironmentName(key), name]));
}
