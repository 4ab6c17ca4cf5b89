// Preloaded (`node -r`) into emulators that hard-code 0.0.0.0: every server they open binds 127.0.0.1 only.
const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] !== null && typeof args[0] === "object" && !Array.isArray(args[0])) {
    args[0] = { ...args[0], host: "127.0.0.1" };
  } else if (typeof args[0] === "number" || typeof args[0] === "string") {
    const rest = args.slice(1).filter((a) => typeof a !== "string");
    args = [args[0], "127.0.0.1", ...rest];
  }
  return listen.apply(this, args);
};
