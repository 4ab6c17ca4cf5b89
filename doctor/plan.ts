/** The stack as the checks see it, from its validated stack file: the config and the names. */
import type { StackConfig } from "../config";
import { stackNames } from "../config/names";
import type { DoctorPlan } from "./types";

/**
 * The plan of stack `stack` in `region` from its validated values. Functions are the ones
 * `components/` creates: ingest, the authorizer when API Gateway checks tokens, one per consumer.
 */
export function doctorPlan(stack: string, region: string, config: StackConfig, deployed = false): DoctorPlan {
  const names = stackNames(stack, Object.keys(config.consumers));
  // On an ALB the ingest function checks tokens itself: no authorizer function.
  const authorizer = config.api.auth === "token" && config.api.front !== "alb";
  return {
    stack,
    region,
    deployed,
    config,
    names,
    functionNames: [
      names.api.ingestFunction,
      ...(authorizer ? [names.api.authorizerFunction] : []),
      ...Object.values(names.consumers).map((consumer) => consumer.function),
    ],
  };
}
